"""Sign-in errors in the GOV.UK pattern: "Error: " in the title, a summary at the top
linking to the box to correct, and the message beside that box."""

import pytest

pytestmark = pytest.mark.django_db


def test_an_empty_sign_in_says_what_to_enter(client, world):
    page = client.post("/accounts/login/", {"username": "", "password": ""}).content.decode()
    assert "<title>Error: Sign in" in page
    assert '<h2 class="govuk-error-summary__title">There is a problem</h2>' in page
    assert '<a href="#id_username">Enter your username</a>' in page
    assert '<a href="#id_password">Enter your password</a>' in page
    assert "This field is required" not in page
    assert 'class="govuk-form-group govuk-form-group--error"' in page
    assert page.index("govuk-error-summary") < page.index("<h1")  # at the top
    assert page.count("govuk-input--error") == 2  # both boxes


def test_a_wrong_password_is_summarised_and_linked_to_the_username(client, world):
    page = client.post("/accounts/login/", {"username": "police_om",
                                            "password": "wrong"}).content.decode()
    assert "<title>Error: Sign in" in page
    assert ('<a href="#id_username">Enter a correct username and password. Both may be '
            "case-sensitive</a>") in page
    assert "Please" not in page


def test_the_sign_in_page_without_errors_has_no_error_title(client, world):
    page = client.get("/accounts/login/").content.decode()
    assert "<title>Sign in" in page and "govuk-error-summary" not in page
    assert "novalidate" in page  # the service says what is wrong, not the browser
