import pytest

from cpims.registry.identity.phone import PhoneError, normalise_phone


@pytest.mark.parametrize(
    "text",
    [
        "9911 2233",
        "+976-99112233",
        "99112233",
        "976 99112233",
        "(+976) 9911-2233",
        "+976 9911 2233",
        "+97699112233",
        "976-9911-2233",
        "(976) 99112233",
        "00976 99112233",
        "001 976 9911 2233",  # Mongolia's own international prefix
        "99 11 22 33",
        "9911.2233",
        " 9911\u20132233 ",  # en dash, surrounding spaces
        "\uff19\uff19\uff11\uff11\uff12\uff12\uff13\uff13",  # full-width digits
    ],
)
def test_normalise_phone_mongolian_mobile(text):
    assert normalise_phone(text) == "+97699112233"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("8811 2233", "+97688112233"),
        ("7011 2233", "+97670112233"),  # landline
        ("+976 11 312345", "+97611312345"),  # Ulaanbaatar, area code 11
        ("+44 20 7946 0958", "+442079460958"),
        ("+1 202 555 0182", "+12025550182"),
    ],
)
def test_normalise_phone_other_numbers(text, expected):
    assert normalise_phone(text) == expected


def test_normalise_phone_default_region():
    assert normalise_phone("(202) 555-0182", default_region="US") == "+12025550182"
    assert normalise_phone("202 555 0182", default_region="us") == "+12025550182"


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("", "empty"),
        ("   ", "empty"),
        ("abc", "invalid_characters"),
        ("tel 99112233", "invalid_characters"),
        ("1-800-FLOWERS", "invalid_characters"),
        ("99112233, 88112233", "invalid_characters"),
        ("99112233/88112233", "invalid_characters"),
        ("9911+2233", "invalid_characters"),
        ("++97699112233", "invalid_characters"),
        ("99112233 88112233", "invalid_number"),
        ("108", "invalid_number"),  # a short code, not a subscriber number
        ("9911223", "invalid_number"),  # 7 digits
        ("991122334", "invalid_number"),  # 9 digits
        ("+976", "invalid_number"),
        ("0000 0000", "invalid_number"),
    ],
)
def test_normalise_phone_rejects(text, code):
    with pytest.raises(PhoneError) as excinfo:
        normalise_phone(text)
    assert excinfo.value.code == code
    assert excinfo.value.message


def test_phone_error_is_value_error_with_clear_message():
    with pytest.raises(ValueError, match="eight digits"):
        normalise_phone("9911223")


def test_normalise_phone_not_strict_accepts_possible_numbers():
    # A number of the right length in a range the metadata may not know yet.
    assert normalise_phone("+976 9911 2233", strict=False) == "+97699112233"
    with pytest.raises(PhoneError):
        normalise_phone("108", strict=False)
