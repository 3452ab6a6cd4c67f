"""Every link of the main navigation a person sees is a page they may open (no menu item that only refuses)."""

import re

import pytest

from zhifa.org import actions

NAV = re.compile(r'<nav class="mainnav">(.*?)</nav>', re.S)
HREF = re.compile(r'href="([^"]+)"')


@pytest.fixture
def platform_admin(world):
    return actions.add_platform_admin("platform", password="Plat#Form2026", full_name="平台管理员")


@pytest.mark.parametrize(
    "who",
    ["officer", "head", "reviewer", "sysadmin", "secadmin", "auditor", "officer_b", "supervisor", "platform"],
)
def test_every_navigation_link_opens(world, platform_admin, client, who):
    person = platform_admin if who == "platform" else getattr(world, who)
    client.force_login(person)
    home = client.get("/")
    assert home.status_code == 200
    links = HREF.findall(NAV.search(home.content.decode()).group(1))
    assert "/" in links  # the workbench at least
    for link in links:
        response = client.get(link, follow=True)
        assert response.status_code == 200, f"{who} sees {link} in the menu but cannot open it"
        assert "/login/" not in response.request["PATH_INFO"]


def test_the_platform_administrator_sees_only_platform_pages(world, platform_admin, client):
    client.force_login(platform_admin)
    menu = NAV.search(client.get("/").content.decode()).group(1)
    for name in ("/cases/", "/review/", "/complaints/", "/ledger/"):
        assert name not in menu
