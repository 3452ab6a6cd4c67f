"""full_clean() of a case does not ask the database again about what the case still has as it was read
(zhifa.core.constraints, "Values as read"); what changed, or a new case, is asked, and a duplicate is refused."""

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from zhifa.cases.models import Case


def test_values_still_as_read_are_not_asked_again_and_changed_ones_are(cw):
    first, second = cw.new_case(), cw.new_case()
    fields = [f.attname for f in Case._meta.concrete_fields]
    case = Case.objects.only(*fields).get(pk=first.pk)  # the people as ids only, not as rows
    assert not case._state.fields_cache
    with CaptureQueriesContext(connection) as queries:
        case.full_clean()
    assert len(queries) == 0, [q["sql"] for q in queries]  # Django: the reference, and each key set
    case.created_by_id = cw.head.pk  # another person: asked
    with CaptureQueriesContext(connection) as queries:
        case.full_clean()
    assert len(queries) == 1
    case.created_by_id = first.created_by_id
    case.reference = second.reference  # taken: asked, and refused in words
    with pytest.raises(ValidationError) as refused:
        case.full_clean()
    assert refused.value.messages == ["包含 执法主体 和 案件编号 的 案件 已经存在。"]
    copy = Case.objects.get(pk=first.pk)
    copy.pk = None  # the values as read under another key, i.e. a new row: asked, and refused
    with pytest.raises(ValidationError):
        copy.full_clean()
    new = Case(**{f: getattr(first, f) for f in fields if f != "id"})  # never read: asked, and refused
    with pytest.raises(ValidationError):
        new.full_clean()
    assert Case.objects.get(pk=first.pk).reference == first.reference
