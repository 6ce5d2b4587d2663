"""The README's review session, reproduced: 200 logged questions on the demo store, a moderator's decisions on
each group through the installed `factbot`, and what the replay says before and after.

Ten questions members asked, each in five wordings (case, typos, extra words, word order), some more often than
others; the moderator teaches seven to the demo topic that answers them and dismisses three. The questions are
asked of the real store and logged as the bot logs them; the rest is the `factbot` command, as a moderator types it.

    python -m bench.review_session          # prints the session
"""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from store import QueryLogEntry, QuerySource
from store.db.testing import open_store
from store.settings import StoreSettings

FACTBOT = str(Path(sys.executable).with_name("factbot"))

# What a moderator decides for each question: the topic that answers it, or why it is dismissed.
QUEUE = {
    "teach cairo-talks-next-steps": [
        "is the israeli team going to cairo",
        "Is the Israeli team going to Cairo?",
        "is the israeli team goin to cairo",
        "is the israeli team going to cairo this week",
        "israeli team going to cairo?",
    ],
    "teach cairo-talks-meeting": [
        "did the mossad chief travel to cairo",
        "Did the Mossad chief travel to Cairo?",
        "did the mosad chief travel to cairo",
        "did the mossad chief really travel to cairo",
        "mossad chief travel cairo",
    ],
    "teach cairo-talks-progress": [
        "has qatar commented on the talks",
        "Has Qatar commented on the talks?",
        "has qatar comented on the talks",
        "has qatar commented on the cairo talks",
        "qatar commented on talks?",
    ],
    "teach netanyahu-truce-position": [
        "what did bibi say about the deal",
        "What did Bibi say about the deal?",
        "wat did bibi say about the deal",
        "what did bibi say about the truce deal",
        "bibi deal what did he say",
    ],
    "teach cairo-talks-meeting ": [  # a second question for the same topic (the space keeps the key apart)
        "was the cia director at the cairo meeting",
        "Was the CIA director at the Cairo meeting?",
        "was the cia directer at the cairo meeting",
        "was the cia director at the cairo meeting yesterday",
        "cia director at cairo meeting?",
    ],
    "teach gaza-death-toll": [
        "how many palestinians died since october",
        "How many Palestinians died since October?",
        "how many palestinians dyed since october",
        "how many palestinians died since october so far",
        "palestinians died since october how many",
    ],
    "teach gaza-truce-earlier-attempts": [
        "why did the paris talks fail",
        "Why did the Paris talks fail?",
        "why did the pariss talks fail",
        "why did the paris talks fail in the end",
        "paris talks fail why",
    ],
    "dismiss off-topic": [
        "banana bread recipe",
        "Banana bread recipe?",
        "banana bread recipie",
        "easy banana bread recipe",
        "recipe banana bread",
    ],
    "dismiss out-of-scope": [
        "who won the 2018 world cup",
        "Who won the 2018 World Cup?",
        "who won the 2018 wolrd cup",
        "who won the 2018 world cup final",
        "2018 world cup who won",
    ],
    "dismiss spam": [
        "buy cheap followers now",
        "BUY CHEAP FOLLOWERS NOW!!!",
        "buy cheep followers now",
        "buy cheap followers now at my site",
        "cheap followers buy now",
    ],
}
DECISION_OF = {wording: decision.strip() for decision, wordings in QUEUE.items() for wording in wordings}
TIMES_ASKED = (8, 6, 5, 4, 3, 5, 4, 2, 2, 1)  # how often each wording of each question was asked: 200 asks in all


def asks() -> list[tuple[str, str, int]]:
    """(wording, member, server) of every ask, members and servers taking turns."""
    wordings = [w for times, ws in zip(TIMES_ASKED, QUEUE.values(), strict=True) for w in ws for _ in range(times)]
    return [(w, f"member-{n % 37}", 1001 + n % 3) for n, w in enumerate(wordings)]


async def log_asks(data_dir: Path) -> None:
    async with open_store(StoreSettings(database_url=None, data_dir=data_dir)) as store:
        entries = []
        for text, member, guild in asks():
            answer = await store.ask(text)
            entries.append(
                QueryLogEntry.from_answer(answer, source=QuerySource.SLASH, guild_id=guild, user_hash=member)
            )
        await store.write_query_events(entries)


def main() -> None:
    data_dir = Path(tempfile.mkdtemp(prefix="factbot-review-"))
    env = {k: v for k, v in os.environ.items() if not k.startswith("FACTBOT_")}
    env |= {"FACTBOT_DATA_DIR": str(data_dir), "COLUMNS": "120", "FACTBOT_ACTOR": "alice"}

    def factbot(*args: str, show: bool = True) -> str:
        done = subprocess.run([FACTBOT, *args], capture_output=True, text=True, env=env, check=True)
        if show:
            print(f"$ factbot {' '.join(args)}\n{done.stdout}")
        return done.stdout

    asyncio.run(log_asks(data_dir))
    factbot("review", "list", "--limit", "4")
    factbot("review", "replay", "--threshold", "0.4")
    for group in json.loads(factbot("review", "list", "--json", "--limit", "500", show=False))["groups"]:
        action, value = DECISION_OF[group["examples"][0]].split(" ", 1)
        option = [value] if action == "teach" else ["--reason", value]
        factbot("review", action, str(group["id"]), *option)
    factbot("review", "replay")


if __name__ == "__main__":
    main()
