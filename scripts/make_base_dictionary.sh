#!/usr/bin/env bash
# Regenerates rules/base_dictionary.txt from the dictionary jieba-rs ships.
# Words below frequency 30 are left out: they are rare names and phrases that
# cost start-up time (jieba's full 349k-word dictionary takes ~90 ms to load,
# the 66k kept here ~12 ms) and barely move where a label is cut.
set -euo pipefail
cd "$(dirname "$0")/.."
dict=$(ls -d ~/.cargo/registry/src/*/jieba-rs-0.11.0/src/data/dict.txt | head -n1)
{
  echo "# Base dictionary for the segmenter: the words of jieba-rs 0.11's default dictionary (MIT licence,"
  echo "# from the jieba project) with frequency >= 30, made by scripts/make_base_dictionary.sh. Format: word freq tag."
  awk '$2>=30' "$dict"
} > rules/base_dictionary.txt
