#!/usr/bin/env python3
"""Trains the byte-level BPE tokenizer shipped with the built-in models.

The built-in models stand in for a pretrained MLLM that cannot be downloaded here, so their tokenizer is ours too.
Byte-level BPE encodes any text (real Hateful-Memes or CrisisMMD tweets included); the merges are learned from the
corpus files given on the command line: the synthetic generator's texts and prompts (`fedmllm corpus`) plus the
project's docs for general English.

Usage: pip install tokenizers==0.23.3
       python3 tools/tokenizer/train_tokenizer.py OUT.json CORPUS.txt [CORPUS.txt ...]
The output is deterministic for the same inputs and is committed as
trainer-image/src/main/resources/io/fedmllm/model/tokenizer.json.
"""
import sys

from tokenizers import Tokenizer, decoders, models, pre_tokenizers, trainers

SPECIAL = ["<pad>", "<s>", "</s>", "<unk>"]


def main(argv):
    if len(argv) < 3:
        sys.exit(__doc__)
    out, corpus = argv[1], argv[2:]
    tok = Tokenizer(models.BPE(unk_token="<unk>"))
    tok.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    tok.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(
        vocab_size=2048,
        min_frequency=2,
        special_tokens=SPECIAL,
        initial_alphabet=pre_tokenizers.ByteLevel.alphabet(),
        show_progress=False,
    )
    tok.train(corpus, trainer)
    tok.save(out, pretty=False)
    print(f"{out}: vocab {tok.get_vocab_size()}")


if __name__ == "__main__":
    main(sys.argv)
