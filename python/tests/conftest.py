import json
import os
from pathlib import Path

import pytest

# Written for these tests: ordinary prose that passes every filter of recipe
# fineweb (enough words, stop words, sentences, terminal punctuation, no
# repeated lines).
GOOD_TEXT = "\n".join([
    "The harbour town woke slowly as the fishing boats returned with the morning tide.",
    "Merchants opened their shutters and arranged baskets of bread, cheese and dried figs.",
    "A teacher walked her pupils along the quay to watch the nets being mended by hand.",
    "Several visitors asked about the old lighthouse, which had been restored last spring.",
    "By noon the market was crowded, and the smell of grilled sardines drifted up the hill.",
    "In the afternoon a light rain fell, so most people gathered inside the small library.",
    "The librarian told them that the building had once served as a customs house.",
    "Children read quietly near the windows while their parents talked about the harvest.",
    "When evening came, the lamps were lit and the boats prepared to sail once again.",
])

SHORT_TEXT = "Too short to keep."


def shared_dir():
    env = os.environ.get("WINNOW_SHARED_DIR")
    if env:
        return Path(env)
    return Path(__file__).resolve().parents[2].parent / "shared"


@pytest.fixture
def corpus(tmp_path):
    """A small JSONL input: one good document, one short, one blank, one
    broken record."""
    path = tmp_path / "in.jsonl"
    lines = [
        json.dumps({"id": "good", "text": GOOD_TEXT, "metadata": {"url": "https://example.org/a"}}),
        json.dumps({"id": "short", "text": SHORT_TEXT}),
        json.dumps({"id": "blank", "text": "   "}),
        '{"id": "broken", "text": ',
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path
