import pytest

from inventory.tests.sheet_server import SheetServer


@pytest.fixture
def sheet_server(settings):
    # The sheet is served on 127.0.0.1, which production refuses (SHEET_IMPORT_ALLOW_PRIVATE).
    settings.SHEET_IMPORT_ALLOW_PRIVATE = True
    with SheetServer() as server:
        yield server
