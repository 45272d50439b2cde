"""Word lists the generated people, places and notes are drawn from.

Everything here is invented for the sandbox: names are common US given and
family names, streets and cities are real places in the markets where
door-to-door teams work, and the numbers attached to them are plausible, not
exact.
"""

from __future__ import annotations

from typing import NamedTuple


def _words(text: str) -> tuple[str, ...]:
    """Split a comma-separated list written across lines into its items."""
    return tuple(word.strip() for word in text.split(",") if word.strip())


class City(NamedTuple):
    """A city a lead can live in, with what is needed to make an address."""

    name: str
    state: str
    zip_prefix: str
    area_code: str
    latitude: float
    longitude: float


CITIES: tuple[City, ...] = (
    City("Denver", "CO", "802", "303", 39.7392, -104.9903),
    City("Aurora", "CO", "800", "720", 39.7294, -104.8319),
    City("Colorado Springs", "CO", "809", "719", 38.8339, -104.8214),
    City("Lehi", "UT", "840", "801", 40.3916, -111.8508),
    City("Provo", "UT", "846", "801", 40.2338, -111.6585),
    City("St. George", "UT", "847", "435", 37.0965, -113.5684),
    City("Mesa", "AZ", "852", "480", 33.4152, -111.8315),
    City("Gilbert", "AZ", "852", "480", 33.3528, -111.7890),
    City("Tucson", "AZ", "857", "520", 32.2226, -110.9747),
    City("Las Vegas", "NV", "891", "702", 36.1716, -115.1391),
    City("Henderson", "NV", "890", "702", 36.0395, -114.9817),
    City("Sacramento", "CA", "958", "916", 38.5816, -121.4944),
    City("Fresno", "CA", "937", "559", 36.7378, -119.7871),
    City("Riverside", "CA", "925", "951", 33.9806, -117.3755),
    City("San Antonio", "TX", "782", "210", 29.4241, -98.4936),
    City("Austin", "TX", "787", "512", 30.2672, -97.7431),
    City("Frisco", "TX", "750", "469", 33.1507, -96.8236),
    City("Katy", "TX", "774", "281", 29.7858, -95.8245),
    City("Tampa", "FL", "336", "813", 27.9506, -82.4572),
    City("Orlando", "FL", "328", "407", 28.5383, -81.3792),
    City("Jacksonville", "FL", "322", "904", 30.3322, -81.6557),
    City("Charlotte", "NC", "282", "704", 35.2271, -80.8431),
    City("Raleigh", "NC", "276", "919", 35.7796, -78.6382),
    City("Atlanta", "GA", "303", "404", 33.7490, -84.3880),
    City("Nashville", "TN", "372", "615", 36.1627, -86.7816),
    City("Boise", "ID", "837", "208", 43.6150, -116.2023),
    City("Meridian", "ID", "836", "208", 43.6121, -116.3915),
    City("Albuquerque", "NM", "871", "505", 35.0844, -106.6504),
    City("Columbus", "OH", "432", "614", 39.9612, -82.9988),
    City("Warren", "OH", "444", "330", 41.2376, -80.8184),
    City("Indianapolis", "IN", "462", "317", 39.7684, -86.1581),
    City("Kansas City", "MO", "641", "816", 39.0997, -94.5786),
    City("Omaha", "NE", "681", "402", 41.2565, -95.9345),
    City("Spokane", "WA", "992", "509", 47.6588, -117.4260),
    City("Salem", "OR", "973", "503", 44.9429, -123.0351),
    City("Pittsburgh", "PA", "152", "412", 40.4406, -79.9959),
)

FIRST_NAMES = _words(
    """
    James, Mary, Robert, Patricia, John, Jennifer, Michael, Linda, David,
    Elizabeth, William, Barbara, Richard, Susan, Joseph, Jessica, Thomas,
    Sarah, Christopher, Karen, Daniel, Lisa, Matthew, Nancy, Anthony, Betty,
    Mark, Sandra, Donald, Ashley, Steven, Kimberly, Andrew, Emily, Joshua,
    Donna, Kevin, Michelle, Brian, Carol, Tyler, Amanda, Jason, Melissa,
    Ryan, Deborah, Jacob, Stephanie, Gary, Rebecca, Eric, Laura, Carlos,
    Maria, Luis, Rosa, Nguyen, Mei, Tariq, Aisha
    """
)

LAST_NAMES = _words(
    """
    Smith, Johnson, Williams, Brown, Jones, Garcia, Miller, Davis, Rodriguez,
    Martinez, Hernandez, Lopez, Gonzalez, Wilson, Anderson, Thomas, Taylor,
    Moore, Jackson, Martin, Lee, Perez, Thompson, White, Harris, Sanchez,
    Clark, Ramirez, Lewis, Robinson, Walker, Young, Allen, King, Wright,
    Scott, Torres, Nguyen, Hill, Flores, Green, Adams, Nelson, Baker, Hall,
    Rivera, Campbell, Mitchell, Carter, Roberts, Overfield, Jensen,
    Christensen, Larsen, O'Brien, McAllister, Van Dyke, St. Pierre
    """
)

STREET_NAMES = _words(
    """
    Dexter, Maple, Oak, Cedar, Pine, Elm, Washington, Lincoln, Jefferson,
    Madison, Franklin, Sunset, Highland, Ridgeview, Willow, Aspen, Juniper,
    Canyon, Meadowlark, Quail Run, Cottonwood, Sagebrush, Bluebell, Harvest,
    Prairie, Lakeview, Mountain View, Hillcrest, Park, Main, Center, Church,
    Mill
    """
)

STREET_SUFFIXES = _words(
    """
    St, Ave, Dr, Ln, Ct, Way, Blvd, Rd, Cir, Pl, Trl
    """
)

STREET_PREFIXES: tuple[str, ...] = ("", "", "", "", "N ", "S ", "E ", "W ")

PHONE_LAYOUTS: tuple[str, ...] = (
    "({area}) {exchange}-{line}",
    "{area}-{exchange}-{line}",
    "{area}{exchange}{line}",
    "+1 {area} {exchange} {line}",
)

UNIT_FORMATS: tuple[str, ...] = ("Apt {n}", "Unit {n}", "#{n}", "Suite {n}")

BUSINESS_WORDS = _words(
    """
    Summit, Peak, Evergreen, Canyon, Pioneer, Liberty, Keystone, Sunrise,
    Red Rock, Blue Sky, Frontier, Cornerstone
    """
)

BUSINESS_KINDS = _words(
    """
    Dental, Auto Repair, Property Management, Landscaping, Bakery,
    Family Practice, Storage, Plumbing, Realty, Veterinary Clinic
    """
)

BUSINESS_SUFFIXES: tuple[str, ...] = ("", "", " LLC", " Inc.", " Co.")

EMAIL_DOMAINS = _words(
    """
    gmail.com, gmail.com, gmail.com, yahoo.com, outlook.com, hotmail.com,
    icloud.com, comcast.net, aol.com, msn.com
    """
)

STATUSES: tuple[str, ...] = (
    "Not Home",
    "Not Interested",
    "Callback",
    "Interested",
    "Appointment Set",
    "Sold",
    "Dead",
    "Renter",
    "Go Back",
)
"""Every status name the sandbox uses, in a fixed order."""

STATUS_WEIGHTS: tuple[int, ...] = (34, 22, 10, 9, 6, 7, 6, 4, 2)
"""Percent of generated leads in each status of :data:`STATUSES`."""

EARLY_STATUSES: tuple[str, ...] = ("Not Home", "Go Back", "Callback", "Interested")
"""Statuses a lead passes through before the one it has now."""

NOTES: tuple[str, ...] = (
    "Renters ",
    "Come back after 5pm",
    "Dog in yard, use side gate",
    "Husband makes the decisions, back Saturday",
    "Already has solar",
    "Asked for a quote by email",
    "Roof replaced 2019",
    "No soliciting sign",
    "Spanish speaker",
    "Very interested, wants financing options",
    "HOA approval needed",
    "Moving in the spring",
    "Left door hanger",
)

LEAD_SOURCES = _words(
    """
    Door knock, Referral, Web form, Home show, Canvass event
    """
)

UTILITIES = _words(
    """
    Xcel Energy, Rocky Mountain Power, APS, SRP, NV Energy, Duke Energy, FPL,
    Georgia Power, PG&E, Oncor
    """
)

CAMPAIGN_IDS: tuple[int, ...] = (4101, 4102, 4117, 4120, 4133)

USER_ROLES: tuple[str, ...] = ("Rep", "Rep", "Rep", "Rep", "Setter", "Manager")

COMPANY_DOMAIN = "brightpathsolar.com"
"""The e-mail domain of the sandbox's own sales team."""
