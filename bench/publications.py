"""Published decisions for the benchmarks (bench/generate.py, bench/search.py): a varied public text and summary for
each, made without the actions.

The texts come from the labelled redaction corpus (tests/publicity/redaction_corpus.py) passed once through the
platform's own redaction, so what is published holds no personal data, as a released publication's text does. Each
decision then gets its own party, 文号, date, penalty and amount; its search words are those of its head (the
summary's fields) and of its text, the text's words taken once per corpus text (segmenting a million texts would take
most of an hour; the words of a text do not depend on the decision it is given to).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import random
from types import SimpleNamespace

PENALTY_KINDS = [["warning"], ["fine"], ["warning", "fine"], ["fine", "confiscate_gains"], ["criticism"]]
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程"
WORDS = "康宁健民仁和济世同德安泰永福华美长青瑞丰"
BUSINESSES = ["诊所", "药店", "餐饮店", "供水站", "美容店", "口腔门诊部", "游泳馆", "宾馆"]


class PublicTexts:
    def __init__(self, seed: int, size: int = 80):
        from tests.publicity.redaction_corpus import corpus
        from zhifa.publicity import search
        from zhifa.publicity.redaction import redact

        self.search = search
        self.pool: list[tuple[str, list[str]]] = []
        for d in corpus(size, seed):
            text = redact(d.text, d.context).text
            self.pool.append((text, search.tokens(text).split()))

    def make(
        self,
        rng: random.Random,
        serial: int,
        *,
        agency: str,
        short: str,
        county: str,
        decided_on: dt.date,
        cause: str = "未取得《医疗机构执业许可证》擅自执业",
        kind: str = "penalty",
    ) -> dict:
        """One decision as published: ``summary``, ``text``, ``text_sha256``, ``facets`` and ``search_text`` (the
        fields ``publication.submit`` fills)."""
        org = rng.random() < 0.6
        if org:
            party = f"{county}{rng.choice(WORDS)}{rng.choice(WORDS)}{rng.choice(BUSINESSES)}"
        else:
            party = rng.choice(SURNAMES) + "某" * rng.choice([1, 2])
        number = f"{short}罚〔{decided_on.year}〕{serial}号"
        summary = {
            "number": number,
            "party": party,
            "party_kind": "org" if org else "person",
            "credit_code": "",
            "cause": cause,
            "items": [],
            "outcome": "penalty",
            "penalty_kinds": rng.choice(PENALTY_KINDS),
            "fine": str(rng.randrange(0, 50000, 100)),
            "confiscation": "0",
            "basis": "",
            "agency": agency,
            "decided_on": decided_on.isoformat(),
        }
        body, body_words = rng.choice(self.pool)
        text = f"{party}\n{number}\n{body}"
        head = self.search.tokens("\n".join([number, party, cause, agency])).split()
        facets = " ".join(self.search.tags(SimpleNamespace(kind=kind, summary=summary)))
        words = " ".join(dict.fromkeys(head + body_words))
        return {
            "summary": summary,
            "text": text,
            "text_sha256": hashlib.sha256(text.encode()).hexdigest(),
            "facets": facets,
            "search_text": f"{words} {facets}",
        }
