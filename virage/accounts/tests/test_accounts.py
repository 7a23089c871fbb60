import re

from django.core import mail
from django.urls import reverse

from conftest import PASSWORD


def test_sign_in_with_the_email_address_whatever_its_case(client, world):
    response = client.post(reverse("accounts:login"), {"username": "GESTION@Virage.test", "password": PASSWORD})
    assert response.status_code == 302
    assert client.get(reverse("home")).status_code == 200


def test_wrong_password_gets_a_clear_message_and_no_session(client, world):
    response = client.post(reverse("accounts:login"), {"username": "gestion@virage.test", "password": "non"})
    assert response.status_code == 200
    assert response.context["form"].errors
    assert client.get(reverse("home")).status_code == 302


def test_password_reset_sends_a_link_that_lets_the_person_choose_a_new_password(client, world):
    client.post(reverse("accounts:password_reset"), {"email": "gestion@virage.test"})
    assert len(mail.outbox) == 1
    link = re.search(r"https?://[^\s]+/compte/mot-de-passe/[^\s]+/", mail.outbox[0].body).group(0)
    path = link.split("testserver", 1)[-1]
    response = client.get(path, follow=True)
    new_password = "un-nouveau-mot-de-passe-2026"
    response = client.post(
        response.redirect_chain[-1][0], {"new_password1": new_password, "new_password2": new_password}
    )
    assert response.status_code == 302
    assert client.login(username="gestion@virage.test", password=new_password)


def test_password_reset_for_an_unknown_address_reveals_nothing(client, world):
    response = client.post(reverse("accounts:password_reset"), {"email": "personne@nulle-part.test"})
    assert response.status_code == 302
    assert mail.outbox == []


def test_french_is_the_default_and_english_is_remembered_for_the_user(client, world):
    assert '<html lang="fr">' in client.get(reverse("accounts:login")).content.decode()
    client.force_login(world.manager)
    client.post(reverse("accounts:set_language"), {"language": "en", "next": "/"})
    world.manager.refresh_from_db()
    assert world.manager.preferred_language == "en"
    # A new browser (no cookie) still gets English once signed in.
    client.cookies.clear()
    client.force_login(world.manager)
    assert '<html lang="en">' in client.get(reverse("home")).content.decode()


def test_language_switch_ignores_unknown_languages_and_foreign_redirects(client, world):
    response = client.post(reverse("accounts:set_language"), {"language": "xx", "next": "https://evil.example/"})
    assert response.status_code == 302 and response["Location"] == "/"


def test_profile_change_is_logged(client, world):
    from virage.core.models import ActivityLogEntry

    client.force_login(world.manager)
    client.post(reverse("accounts:profile"), {"first_name": "Nadia", "last_name": "Lavoie", "language": "fr"})
    world.manager.refresh_from_db()
    assert world.manager.first_name == "Nadia"
    assert ActivityLogEntry.objects.filter(object_id=str(world.manager.pk), verb="updated").exists()


def test_api_token_is_created_from_the_profile(client, world):
    client.force_login(world.manager)
    client.post(reverse("accounts:api_token"))
    assert world.manager.auth_token.key in client.get(reverse("accounts:profile")).content.decode()


def test_an_english_browser_still_gets_french_until_the_person_chooses_english(client, world):
    page = client.get(reverse("accounts:login"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert '<html lang="fr">' in page
    client.post(reverse("accounts:set_language"), {"language": "en", "next": "/"})
    assert '<html lang="en">' in client.get(reverse("accounts:login")).content.decode()
