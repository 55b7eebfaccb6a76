"""Word lists for synthetic people: fictional names, districts and ethnicity codes.

Names are common English given names and surnames drawn at random and paired at
random, so no row describes a real person. Weights are rough shares of an offender
caseload, chosen to look plausible in screens and reports, not to be statistics.
"""

from __future__ import annotations

MALE_FORENAMES = (
    "Aaron", "Adam", "Alan", "Alex", "Andrew", "Anthony", "Ashley", "Ben", "Bradley",
    "Callum", "Carl", "Charlie", "Chris", "Connor", "Craig", "Damien", "Daniel", "Darren",
    "David", "Dean", "Declan", "Dylan", "Elliot", "Gary", "Graham", "Harry", "Hayden",
    "Jack", "Jacob", "Jake", "James", "Jamie", "Jason", "Jordan", "Joseph", "Josh",
    "Kane", "Karl", "Kevin", "Kieran", "Kyle", "Lee", "Leon", "Lewis", "Liam", "Luke",
    "Mark", "Martin", "Matthew", "Michael", "Nathan", "Neil", "Oliver", "Paul", "Reece",
    "Richard", "Robert", "Ryan", "Scott", "Sean", "Shane", "Simon", "Stephen", "Steven",
    "Stuart", "Thomas", "Tom", "Tyler", "Wayne", "William",
)  # fmt: skip

FEMALE_FORENAMES = (
    "Abbie", "Amy", "Amanda", "Becky", "Beth", "Carly", "Charlotte", "Chelsea", "Claire",
    "Danielle", "Donna", "Emma", "Gemma", "Hannah", "Hayley", "Holly", "Jade", "Jemma",
    "Jennifer", "Jessica", "Joanne", "Karen", "Kayleigh", "Kelly", "Kerry", "Kirsty",
    "Laura", "Lauren", "Leanne", "Lisa", "Louise", "Lucy", "Megan", "Michelle", "Natalie",
    "Nicola", "Rachel", "Rebecca", "Samantha", "Sarah", "Shannon", "Sophie", "Stacey",
    "Stephanie", "Tanya", "Tracy", "Victoria", "Zoe",
)  # fmt: skip

SURNAMES = (
    "Allen", "Atkinson", "Bailey", "Baker", "Barker", "Bennett", "Booth", "Bradley",
    "Brooks", "Brown", "Butler", "Carter", "Chapman", "Clarke", "Collins", "Cooper",
    "Cox", "Davies", "Dawson", "Dixon", "Edwards", "Ellis", "Evans", "Fisher", "Fletcher",
    "Foster", "Gibson", "Graham", "Gray", "Green", "Griffiths", "Hall", "Harris",
    "Harrison", "Hill", "Holmes", "Hughes", "Hunt", "Jackson", "James", "Johnson", "Jones",
    "Kelly", "Kennedy", "King", "Knight", "Lee", "Lewis", "Lloyd", "Marshall", "Martin",
    "Mason", "Matthews", "Mills", "Mitchell", "Moore", "Morgan", "Morris", "Murphy",
    "Murray", "Owen", "Palmer", "Parker", "Patel", "Pearson", "Phillips", "Powell",
    "Price", "Reid", "Richards", "Richardson", "Roberts", "Robinson", "Rogers", "Russell",
    "Saunders", "Scott", "Shaw", "Simpson", "Smith", "Spencer", "Stevens", "Stewart",
    "Taylor", "Thomas", "Thompson", "Turner", "Walker", "Wallace", "Ward", "Watson",
    "Webb", "Wells", "White", "Wilkinson", "Williams", "Wilson", "Wood", "Wright", "Young",
)  # fmt: skip

# Derbyshire's local authority districts (the first scheme policy, 000 and 001 in docs/sources.md),
# weighted by population with the two towns with most recorded crime weighted up.
DISTRICTS = (
    ("Amber Valley", 11.0),
    ("Bolsover", 8.0),
    ("Chesterfield", 12.0),
    ("Derby", 30.0),
    ("Derbyshire Dales", 4.0),
    ("Erewash", 10.0),
    ("High Peak", 7.0),
    ("North East Derbyshire", 8.0),
    ("South Derbyshire", 10.0),
)

# ONS 2021 census ethnic group codes (five groups, 19 categories).
ETHNICITIES = (
    ("W1", 78.0),  # White: English, Welsh, Scottish, Northern Irish or British
    ("W2", 0.5),  # White: Irish
    ("W3", 1.0),  # White: Gypsy or Irish Traveller
    ("W4", 0.3),  # White: Roma
    ("W5", 4.0),  # White: any other White background
    ("M1", 2.5),  # Mixed: White and Black Caribbean
    ("M2", 0.4),  # Mixed: White and Black African
    ("M3", 0.6),  # Mixed: White and Asian
    ("M4", 0.6),  # Mixed: any other Mixed background
    ("A1", 1.2),  # Asian: Indian
    ("A2", 3.0),  # Asian: Pakistani
    ("A3", 0.3),  # Asian: Bangladeshi
    ("A4", 0.2),  # Asian: Chinese
    ("A5", 0.8),  # Asian: any other Asian background
    ("B1", 1.5),  # Black: Caribbean
    ("B2", 1.8),  # Black: African
    ("B3", 0.6),  # Black: any other Black background
    ("O1", 0.3),  # Other: Arab
    ("O2", 1.0),  # Other: any other ethnic group
)
