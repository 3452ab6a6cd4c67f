"""The platform administrator sets up agencies and fields; a complaint from the portal is the agency's business
record, with the complainant's name and phone: the platform administrator neither reads nor handles it (found by
the authorization matrix: complaints were open to the superuser across every agency)."""

import pytest
from django.urls import reverse

from tests.conftest import PASSWORD
from zhifa.core.errors import ActionDenied
from zhifa.org import actions as org_actions
from zhifa.publicity import actions
from zhifa.publicity.models import Complaint


@pytest.fixture
def complaint(world):
    complaint, _code = actions.submit_complaint(
        world.a,
        kind="report",
        subject="诊所无证行医",
        content="甲区健康路有诊所未取得执业许可证开展诊疗活动，请核查。",
        name="钱七",
        phone="13800000000",
    )
    return complaint


def test_the_platform_administrator_does_not_read_complaints(client, world, complaint):
    client.force_login(org_actions.add_platform_admin("platform", PASSWORD))
    assert client.get(reverse("catalog:complaints")).status_code == 403
    assert client.get(reverse("catalog:complaint_detail", args=[complaint.pk])).status_code == 404
    assert client.get(f"/api/v1/complaints/{complaint.pk}/").status_code == 404
    listed = client.get("/api/v1/complaints/")
    assert listed.status_code == 200 and "钱七" not in listed.content.decode()
    # The agency's own officer still reads it.
    client.force_login(world.officer)
    page = client.get(reverse("catalog:complaint_detail", args=[complaint.pk])).content.decode()
    assert "钱七" in page and "13800000000" in page


def test_the_platform_administrator_does_not_handle_complaints(client, world, complaint):
    platform = org_actions.add_platform_admin("platform", PASSWORD)
    with pytest.raises(ActionDenied):
        actions.handle_complaint(platform, complaint, status="processing", note="平台处理")
    client.force_login(platform)
    response = client.post(
        reverse("catalog:complaint_detail", args=[complaint.pk]), {"status": "processing", "note": "平台处理"}
    )
    assert response.status_code == 404
    assert Complaint.objects.get(pk=complaint.pk).status == complaint.status
