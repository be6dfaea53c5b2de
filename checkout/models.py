"""Requests, loans and ID collateral: the hardware desk."""
