"""Demo participants' names: given and family names from the same place, many places, in the
order an international sign-up form gets them (given name first)."""

import unicodedata

# (given names, family names) per region. Family names that change with gender (Polish
# -ski/-ska, Greek, Russian) are left out, so any given name goes with any family name.
REGIONS = [
    (
        ["Adaeze", "Chinedu", "Oluwaseun", "Ngozi", "Emeka", "Funmilayo", "Tobi", "Chiamaka"],
        ["Okafor", "Adeyemi", "Eze", "Okonkwo", "Balogun", "Nwosu", "Adebayo", "Obi"],
    ),
    (
        ["Priya", "Arjun", "Ananya", "Rohan", "Kavya", "Vikram", "Aditi", "Siddharth"],
        ["Sharma", "Iyer", "Patel", "Reddy", "Nair", "Gupta", "Menon", "Banerjee"],
    ),
    (
        ["Sofía", "Diego", "Valentina", "Mateo", "Camila", "Alejandro", "Lucía", "Javier"],
        ["García", "Hernández", "López", "Martínez", "Rodríguez", "Morales", "Ramírez", "Torres"],
    ),
    (
        ["Wei", "Xinyi", "Hao", "Mingyu", "Jiayi", "Zihan", "Yuxuan", "Lin"],
        ["Zhang", "Wang", "Li", "Chen", "Liu", "Huang", "Zhao", "Wu"],
    ),
    (
        ["Lena", "Jonas", "Mia", "Felix", "Hannah", "Lukas", "Clara", "Moritz"],
        ["Müller", "Schneider", "Fischer", "Weber", "Wagner", "Becker", "Hoffmann", "Krüger"],
    ),
    (
        ["Omar", "Layla", "Youssef", "Nour", "Karim", "Mariam", "Ahmed", "Salma"],
        ["Haddad", "Mansour", "El-Sayed", "Khalil", "Farouk", "Nasser", "Hassan", "Saleh"],
    ),
    (
        ["Yuki", "Haruto", "Sakura", "Ren", "Aoi", "Sota", "Hina", "Daiki"],
        ["Tanaka", "Suzuki", "Sato", "Takahashi", "Watanabe", "Ito", "Nakamura", "Kobayashi"],
    ),
    (
        ["João", "Beatriz", "Lucas", "Mariana", "Gabriel", "Larissa", "Rafael", "Isabela"],
        ["Silva", "Oliveira", "Souza", "Costa", "Ferreira", "Almeida", "Carvalho", "Ribeiro"],
    ),
    (
        ["Wanjiru", "Otieno", "Achieng", "Kiprono", "Njeri", "Baraka", "Akinyi", "Kamau"],
        ["Mwangi", "Odhiambo", "Kiptoo", "Mutua", "Njoroge", "Wafula", "Chege", "Ochieng"],
    ),
    (
        ["Elif", "Emre", "Zeynep", "Mehmet", "Ayşe", "Can", "Deniz", "Burak"],
        ["Yılmaz", "Demir", "Kaya", "Çelik", "Şahin", "Aydın", "Öztürk", "Arslan"],
    ),
    (
        ["Emily", "James", "Olivia", "Liam", "Aoife", "Connor", "Grace", "Ethan"],
        ["Smith", "Murphy", "O'Brien", "Walker", "Thompson", "Campbell", "Byrne", "Evans"],
    ),
    (
        ["Linh", "Minh", "Thảo", "Huy", "Trang", "Quang", "Ngọc", "Duy"],
        ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi"],
    ),
    (
        ["Camille", "Louis", "Chloé", "Hugo", "Léa", "Théo", "Manon", "Jules"],
        ["Martin", "Bernard", "Dubois", "Lefèvre", "Moreau", "Laurent", "Girard", "Fontaine"],
    ),
    (
        ["Ji-woo", "Min-jun", "Seo-yeon", "Do-hyun", "Ha-eun", "Jae-won", "Su-bin", "Tae-yang"],
        ["Kim", "Lee", "Park", "Choi", "Jung", "Kang", "Yoon", "Han"],
    ),
    (
        ["Astrid", "Mikkel", "Freja", "Lars", "Ingrid", "Oskar", "Sigrid", "Emil"],
        ["Johansson", "Andersen", "Nilsen", "Lindqvist", "Hansen", "Berg", "Dahl", "Søndergaard"],
    ),
    (
        ["Ayesha", "Bilal", "Fatima", "Hamza", "Nusrat", "Tanvir", "Zainab", "Imran"],
        ["Khan", "Qureshi", "Chowdhury", "Rahman", "Siddiqui", "Hossain", "Malik", "Ahmed"],
    ),
    (
        ["Giulia", "Marco", "Francesca", "Luca", "Chiara", "Matteo", "Sara", "Davide"],
        ["Rossi", "Russo", "Ferrari", "Esposito", "Bianchi", "Romano", "Colombo", "Ricci"],
    ),
    (
        ["Kwame", "Ama", "Kofi", "Akosua", "Yaw", "Efua", "Kwesi", "Abena"],
        ["Mensah", "Asante", "Owusu", "Boateng", "Appiah", "Ofori", "Darko", "Agyeman"],
    ),
    (
        ["Olena", "Dmytro", "Iryna", "Andriy", "Oksana", "Taras", "Sofiia", "Bohdan"],
        ["Shevchenko", "Kovalenko", "Bondarenko", "Tkachenko", "Melnyk", "Kravchenko", "Lysenko"],
    ),
    (
        ["Putri", "Budi", "Dewi", "Rizky", "Sari", "Agus", "Ayu", "Fajar"],
        ["Wijaya", "Santoso", "Hidayat", "Pratama", "Kusuma", "Saputra", "Halim", "Gunawan"],
    ),
    (
        ["Darya", "Arash", "Shirin", "Kian", "Parisa", "Reza", "Navid", "Leila"],
        ["Rahimi", "Hosseini", "Karimi", "Moradi", "Tehrani", "Jafari", "Ahmadi", "Sadeghi"],
    ),
    (
        ["Abebe", "Selam", "Dawit", "Hana", "Yonas", "Meron", "Bereket", "Liya"],
        ["Tesfaye", "Bekele", "Haile", "Girma", "Alemu", "Tadesse", "Mekonnen", "Kebede"],
    ),
    (
        ["Zofia", "Jakub", "Agnieszka", "Piotr", "Marta", "Tomasz", "Ewa", "Kacper"],
        ["Nowak", "Wójcik", "Mazur", "Krawczyk", "Zając", "Król", "Dudek", "Sikora"],
    ),
    (
        ["Angelica", "Paolo", "Bea", "Miguel", "Andrea", "Carlo", "Patricia", "Rafael"],
        ["Santos", "Reyes", "Cruz", "Bautista", "Villanueva", "Mendoza", "Aquino", "Dela Cruz"],
    ),
]

# Letters that Unicode does not decompose into an ASCII letter and an accent.
_ASCII = str.maketrans({"ø": "o", "Ø": "O", "ł": "l", "Ł": "L", "ı": "i", "đ": "d", "Đ": "D"})


def participant_name(number):
    """The `number`-th participant's (given, family) name: consecutive participants come from
    different regions, and every pairing in a region comes up before any repeats."""
    index = number - 1
    givens, families = REGIONS[index % len(REGIONS)]
    turn = index // len(REGIONS)
    return givens[turn % len(givens)], families[(turn + turn // len(givens)) % len(families)]


def email_part(name):
    """A name as lower-case ASCII letters and digits, for an email address: "Nguyễn" gives
    nguyen, "O'Brien" obrien."""
    plain = unicodedata.normalize("NFKD", name.translate(_ASCII))
    return "".join(ch for ch in plain.lower() if ch.isascii() and ch.isalnum())
