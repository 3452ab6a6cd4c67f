"""Pages and API: who may read audit records, what the public sees."""

import pytest
from django.urls import reverse

from zhifa.ledger import actions, merkle, notes
from zhifa.ledger.models import Checkpoint, Entry, VerificationRun


@pytest.fixture
def signed(world):
    actions.record_access(world.auditor, world.officer, "核查资格")
    actions.make_checkpoints(force=True)
    return world


AUDIT_PAGES = [
    lambda w: reverse("ledger:audit_index"),
    lambda w: reverse("ledger:audit_log", args=["agency-a"]),
    lambda w: reverse("ledger:entry_detail", args=["agency-a", 3]),
]


@pytest.mark.parametrize("page", AUDIT_PAGES)
def test_auditors_and_supervisors_read_audit_records(signed, login, page):
    for person in (signed.auditor, signed.supervisor):
        response = login(person).get(page(signed))
        assert response.status_code == 200


@pytest.mark.parametrize("page", AUDIT_PAGES)
@pytest.mark.parametrize("who", ["sysadmin", "secadmin", "officer", "head"])
def test_everyone_else_is_denied_audit_records(signed, login, page, who):
    """三员分立: the system administrator (and the security administrator) never read audit records."""
    response = login(getattr(signed, who)).get(page(signed))
    assert response.status_code == 403


def test_the_superuser_is_denied_audit_records(signed, login):
    from zhifa.org.models import Person

    root = Person.objects.create_superuser("root", "Root#Pass2026", full_name="平台管理员")
    assert login(root).get(reverse("ledger:audit_index")).status_code == 403


def test_auditors_see_only_their_agencies(signed, login):
    client = login(signed.auditor)
    assert client.get(reverse("ledger:audit_log", args=["agency-b"])).status_code == 404
    page = client.get(reverse("ledger:audit_index")).content.decode()
    assert "甲区卫生健康局" in page and "乙区卫生健康局" not in page


def test_audit_log_page_shows_entries_checkpoints_and_last_verification(signed, login):
    actions.run_verification(agency=signed.a)
    page = login(signed.auditor).get(reverse("ledger:audit_log", args=["agency-a"])).content.decode()
    assert "新建人员账户" in page and "调阅" in page and "核查资格" in page
    assert "甲审计管理员" in page and "审计管理员" in page
    assert "完整" in page
    assert Checkpoint.objects.get(log_id=signed.a.pk).root_hex in page
    filtered = login(signed.auditor).get(
        reverse("ledger:audit_log", args=["agency-a"]), {"action": "ledger.access"}
    )
    assert "核查资格" in filtered.content.decode() and "新建人员账户" not in filtered.content.decode()


def test_entry_detail_shows_the_canonical_text_and_proof(signed, login):
    page = login(signed.auditor).get(reverse("ledger:entry_detail", args=["agency-a", 3])).content.decode()
    entry = Entry.objects.get(log_id=signed.a.pk, seq=3)
    assert bytes(entry.nodes[:32]).hex() in page
    assert "包含证明" in page
    assert (
        login(signed.auditor).get(reverse("ledger:entry_detail", args=["agency-a", 9999])).status_code == 404
    )


def test_verify_and_checkpoint_buttons(signed, login):
    client = login(signed.auditor)
    response = client.post(reverse("ledger:verify_now", args=["agency-a"]), {"state": "1"})
    assert response.status_code == 302
    run = VerificationRun.objects.get()
    assert run.ok and run.by == signed.auditor and run.agency == signed.a and run.with_state
    actions.record_access(signed.auditor, signed.officer, "再次核查")
    client.post(reverse("ledger:checkpoint_now", args=["agency-a"]))
    assert Checkpoint.objects.filter(log_id=signed.a.pk).count() == 2
    # Supervisors may verify but not sign.
    supervisor = login(signed.supervisor)
    assert supervisor.post(reverse("ledger:checkpoint_now", args=["agency-a"])).status_code == 403
    assert login(signed.sysadmin).post(reverse("ledger:verify_now", args=["agency-a"])).status_code == 403


def test_history_page(signed, login):
    url = reverse("ledger:history", args=["org.person", signed.officer.pk])
    # The officer's colleague may read the person, so the history; reads (调阅) are not shown.
    page = login(signed.officer2).get(url).content.decode()
    assert "新建人员账户" in page and "甲执法" in page
    assert "核查资格" not in page
    # The auditor sees the reads too.
    page = login(signed.auditor).get(url).content.decode()
    assert "调阅" in page and "核查资格" in page
    # Another agency's officer may not read the person: not found.
    assert login(signed.officer_b).get(url).status_code == 404
    assert (
        login(signed.officer2).get(reverse("ledger:history", args=["org.person", 99999])).status_code == 404
    )
    assert login(signed.officer2).get(reverse("ledger:history", args=["no.such", 1])).status_code == 404


def test_history_needs_login(signed, client):
    response = client.get(reverse("ledger:history", args=["org.person", signed.officer.pk]))
    assert response.status_code == 302


def test_portal_page_is_public(signed, client):
    page = client.get("/portal/ledger/").content.decode()
    cp = Checkpoint.objects.get(log_id=signed.a.pk)
    assert "甲区卫生健康局" in page and "verify_bundle" in page
    assert cp.note.split("\n")[2] in page  # the root hash line of the signed note
    from zhifa.ledger import keys

    assert keys.public_key(cp.log).vkey() in page


def test_public_checkpoint_and_key(signed, client):
    note = client.get(reverse("ledger:public_checkpoint", args=["agency-a"]))
    key = client.get(reverse("ledger:public_key", args=["agency-a"]))
    assert note.status_code == key.status_code == 200
    assert note["Content-Type"].startswith("text/plain")
    checkpoint = notes.open_checkpoint(note.content.decode(), notes.parse_vkey(key.content.decode()))
    assert checkpoint.origin == "zhifa.local/agency-a"
    assert client.get(reverse("ledger:public_checkpoint", args=["nope"])).status_code == 404


def test_public_api_proofs_verify(signed, client):
    listing = client.get("/api/v1/ledger/logs/").json()
    assert {row["code"] for row in listing} == {"agency-a", "agency-b", "justice"}
    log = client.get("/api/v1/ledger/logs/agency-a/").json()
    size = log["checkpoint"]["size"]
    root = bytes.fromhex(log["checkpoint"]["root_hash"])
    notes.open_checkpoint(log["checkpoint"]["note"], notes.parse_vkey(log["public_key"]))
    for index in range(size):
        proof = client.get("/api/v1/ledger/logs/agency-a/inclusion-proof/", {"index": index}).json()
        assert proof["tree_size"] == size and bytes.fromhex(proof["root_hash"]) == root
        assert merkle.verify_inclusion(
            index, size, bytes.fromhex(proof["leaf_hash"]), [bytes.fromhex(h) for h in proof["proof"]], root
        )
    leaves = client.get("/api/v1/ledger/logs/agency-a/leaves/", {"start": 0, "end": 10000}).json()
    hashes = [bytes.fromhex(h) for h in leaves["leaf_hashes"]]
    assert len(hashes) == size and merkle.root_from_leaf_hashes(hashes) == root
    # A second checkpoint, consistent with the first.
    actions.record_access(signed.auditor, signed.officer, "再次核查")
    actions.make_checkpoint(signed.a, force=True)
    new = client.get("/api/v1/ledger/logs/agency-a/").json()["checkpoint"]
    proof = client.get("/api/v1/ledger/logs/agency-a/consistency-proof/", {"first": size}).json()
    assert proof["second"] == new["size"]
    assert merkle.verify_consistency(
        size, new["size"], root, bytes.fromhex(new["root_hash"]), [bytes.fromhex(h) for h in proof["proof"]]
    )
    history = client.get("/api/v1/ledger/logs/agency-a/checkpoints/").json()
    assert [cp["size"] for cp in history] == [new["size"], size]


def test_public_api_reveals_no_content_and_only_signed_entries(signed, client):
    actions.record_access(signed.auditor, signed.officer, "未签署的调阅")
    text = "".join(
        client.get(url).content.decode()
        for url in (
            "/api/v1/ledger/logs/",
            "/api/v1/ledger/logs/agency-a/",
            "/api/v1/ledger/logs/agency-a/leaves/",
        )
    )
    assert "甲执法" not in text and "核查资格" not in text
    signed_size = Checkpoint.objects.get(log_id=signed.a.pk).size
    assert len(client.get("/api/v1/ledger/logs/agency-a/leaves/").json()["leaf_hashes"]) == signed_size
    bad = client.get("/api/v1/ledger/logs/agency-a/inclusion-proof/", {"index": signed_size})
    assert bad.status_code == 400
    assert client.get("/api/v1/ledger/logs/agency-a/inclusion-proof/", {"index": "x"}).status_code == 400
    assert client.get("/api/v1/ledger/logs/agency-a/inclusion-proof/").status_code == 400
    assert client.get("/api/v1/ledger/logs/agency-a/consistency-proof/", {"first": 10**6}).status_code == 400
    assert client.get("/api/v1/ledger/logs/nope/").status_code == 404


def test_audit_api(signed, login, client):
    response = login(signed.auditor).get(
        "/api/v1/ledger/entries/", {"agency": "agency-a", "action": "ledger.access"}
    )
    assert response.status_code == 200
    results = response.json()["results"]
    assert results[0]["record"]["payload"] == {"reason": "核查资格"} and results[0]["action_label"] == "调阅"
    for who in ("sysadmin", "secadmin", "officer"):
        assert (
            login(getattr(signed, who)).get("/api/v1/ledger/entries/", {"agency": "agency-a"}).status_code
            == 403
        )
    assert login(signed.auditor).get("/api/v1/ledger/entries/", {"agency": "agency-b"}).status_code == 404
