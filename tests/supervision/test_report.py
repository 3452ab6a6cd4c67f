"""The evaluation's results with their charts on its page, and its report as a real PDF (WeasyPrint; its text read
back with poppler's pdftotext)."""

from __future__ import annotations

import subprocess

from django.urls import reverse

from zhifa.supervision import actions, charts


def test_a_chart_is_svg_with_its_title_and_escaped_labels():
    svg = str(charts.bar_chart("分布", [("<b>甲</b>", 3), ("乙", 0)]))
    assert svg.startswith("<svg") and "<title>分布</title>" in svg
    assert "<b>" not in svg and "&lt;b&gt;" in svg
    assert 'width="0"' in svg  # a zero bar


def test_the_page_and_the_pdf_report_show_grades_and_failed_items(sv, evaluation, login, client, tmp_path):
    login(sv.supervisor)
    url = reverse("supervision:report", args=[evaluation.pk])
    assert client.get(url).status_code == 404  # nothing drawn yet
    actions.draw_sample(sv.supervisor, evaluation)
    items = list(evaluation.standard.items.all())
    for f in evaluation.files.order_by("position"):
        for item in items:
            verdict = "fail" if item.code == "cover" and f.position == 1 else "na"
            points = 1 if verdict == "fail" else None
            actions.answer_item(
                f.evaluator, f, code=item.code, verdict=verdict, points=points, reason="目录不全"
            )
        actions.finish_file(f.evaluator, f)
    page = client.get(evaluation.get_absolute_url()).content.decode()
    assert "<title>评定等次分布</title>" in page and "<title>不符合项目分布</title>" in page
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    pdf = tmp_path / "r.pdf"
    pdf.write_bytes(response.content)
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    text = "".join(text.split())  # letter-spaced titles and wrapped lines, read back as one string
    assert "评查报告" in text and evaluation.revealed_seed[:16] in text
    first = evaluation.files.get(position=1)
    assert first.case.reference in text and "案卷封面、卷内目录" in text
    login(sv.supervisor_b)
    assert client.get(url).status_code == 404
