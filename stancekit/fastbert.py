"""A BERT encoder and tokenizer for inference in plain torch + ``tokenizers``.

Loading a model through transformers imports most of that library (about 2 s on two CPU
cores) before the first sentence is read. For the BERT family (the default MiniLM
included) this module runs the same computation with torch alone and the fast
``tokenizers`` library, reading the same safetensors weights and ``tokenizer.json``;
``load_model`` uses it when it can and falls back to transformers otherwise. The test
suite checks that both paths give the same logits.
"""

from __future__ import annotations

import json
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import torch
from torch import nn
from torch.nn import functional as F


class _Layer(nn.Module):
    def __init__(self, hidden: int, heads: int, inter: int, eps: float) -> None:
        super().__init__()
        self.heads = heads
        self.query = nn.Linear(hidden, hidden)
        self.key = nn.Linear(hidden, hidden)
        self.value = nn.Linear(hidden, hidden)
        self.attn_out = nn.Linear(hidden, hidden)
        self.attn_norm = nn.LayerNorm(hidden, eps=eps)
        self.inter = nn.Linear(hidden, inter)
        self.out = nn.Linear(inter, hidden)
        self.out_norm = nn.LayerNorm(hidden, eps=eps)

    def forward(self, x: torch.Tensor, bias: torch.Tensor) -> torch.Tensor:
        b, t, h = x.shape
        d = h // self.heads

        def split(z: torch.Tensor) -> torch.Tensor:
            return z.view(b, t, self.heads, d).transpose(1, 2)

        ctx = F.scaled_dot_product_attention(split(self.query(x)), split(self.key(x)),
                                             split(self.value(x)), attn_mask=bias)
        ctx = ctx.transpose(1, 2).reshape(b, t, h)
        x = self.attn_norm(x + self.attn_out(ctx))
        return self.out_norm(x + self.out(F.gelu(self.inter(x))))


# names in a transformers BERT checkpoint -> names here
_RENAME = (("attention.self.query", "query"), ("attention.self.key", "key"),
           ("attention.self.value", "value"), ("attention.output.dense", "attn_out"),
           ("attention.output.LayerNorm", "attn_norm"), ("intermediate.dense", "inter"),
           ("output.dense", "out"), ("output.LayerNorm", "out_norm"))


class FastBert(nn.Module):
    """BERT encoder forward (embeddings + post-norm transformer layers), inference only.

    Returns an object with ``last_hidden_state`` like ``transformers.BertModel``.
    """

    def __init__(self, config: dict[str, Any]) -> None:
        super().__init__()
        hidden = config["hidden_size"]
        eps = config.get("layer_norm_eps", 1e-12)
        self.config = SimpleNamespace(**config)
        self.word = nn.Embedding(config["vocab_size"], hidden)
        self.position = nn.Embedding(config["max_position_embeddings"], hidden)
        self.token_type = nn.Embedding(config.get("type_vocab_size", 2), hidden)
        self.norm = nn.LayerNorm(hidden, eps=eps)
        self.layers = nn.ModuleList(
            _Layer(hidden, config["num_attention_heads"], config["intermediate_size"], eps)
            for _ in range(config["num_hidden_layers"]))

    def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor,
                token_type_ids: torch.Tensor | None = None) -> SimpleNamespace:
        positions = torch.arange(input_ids.shape[1], device=input_ids.device)
        types = token_type_ids if token_type_ids is not None else torch.zeros_like(input_ids)
        x = self.norm(self.word(input_ids) + self.position(positions)[None] + self.token_type(types))
        bias = torch.zeros(attention_mask.shape, dtype=x.dtype, device=x.device)
        bias = bias.masked_fill(attention_mask == 0, torch.finfo(x.dtype).min)[:, None, None, :]
        for layer in self.layers:
            x = layer(x, bias)
        return SimpleNamespace(last_hidden_state=x)

    @staticmethod
    def supports(config: dict[str, Any]) -> bool:
        """True for configs this module computes exactly like transformers' BertModel."""
        return (config.get("model_type") == "bert" and config.get("hidden_act") == "gelu"
                and config.get("position_embedding_type", "absolute") == "absolute"
                and not config.get("is_decoder", False))

    def load_checkpoint(self, weights: dict[str, torch.Tensor]) -> None:
        """Load a transformers BERT state dict (``embeddings.*``, ``encoder.layer.N.*``)."""
        state: dict[str, torch.Tensor] = {}
        for key, value in weights.items():
            key = key.removeprefix("bert.")
            if key.startswith("embeddings."):
                name = (key.replace("embeddings.word_embeddings", "word")
                        .replace("embeddings.position_embeddings", "position")
                        .replace("embeddings.token_type_embeddings", "token_type")
                        .replace("embeddings.LayerNorm", "norm"))
                if name.startswith(("word.", "position.", "token_type.", "norm.")):
                    state[name] = value
            elif key.startswith("encoder.layer."):
                rest = key[len("encoder.layer."):]
                index, _, name = rest.partition(".")
                for old, new in _RENAME:
                    if name.startswith(old + "."):
                        state[f"layers.{index}.{new}{name[len(old):]}"] = value
                        break
        missing, unexpected = self.load_state_dict(state, strict=False, assign=True)
        if missing or unexpected:
            raise ValueError(f"weights do not fit a BERT encoder: missing {missing[:3]}, "
                             f"unexpected {unexpected[:3]}")


class FastTokenizer:
    """The subset of a transformers fast tokenizer that stancekit's inference uses, on
    ``tokenizers.Tokenizer`` directly: batch encoding with truncation into overlapping
    windows (``overflow_to_sample_mapping``), text pairs, and padding."""

    def __init__(self, tokenizer_json: Path, pad_token: str = "[PAD]") -> None:
        from tokenizers import Tokenizer

        self._tok = Tokenizer.from_file(str(tokenizer_json))
        self._tok.no_padding()
        self.pad_token_id = self._tok.token_to_id(pad_token) or 0

    def __call__(self, texts: list[str], pairs: list[str] | None = None, *,
                 truncation: bool | str = True, max_length: int = 128,
                 return_overflowing_tokens: bool = False, stride: int = 0) -> dict[str, Any]:
        strategy = "only_first" if truncation == "only_first" else "longest_first"
        self._tok.enable_truncation(max_length, stride=stride if return_overflowing_tokens else 0,
                                    strategy=strategy)
        inputs: list[Any] = list(zip(texts, pairs)) if pairs is not None else list(texts)
        out: dict[str, Any] = {"input_ids": [], "attention_mask": [], "token_type_ids": [],
                               "overflow_to_sample_mapping": []}
        for i, enc in enumerate(self._tok.encode_batch(inputs)):
            pieces = [enc, *enc.overflowing] if return_overflowing_tokens else [enc]
            for piece in pieces:
                out["input_ids"].append(piece.ids)
                out["attention_mask"].append(piece.attention_mask)
                out["token_type_ids"].append(piece.type_ids)
                out["overflow_to_sample_mapping"].append(i)
        return out

    def pad(self, features: list[dict[str, list[int]]], return_tensors: str = "pt") -> dict[str, torch.Tensor]:
        width = max(len(f["input_ids"]) for f in features)
        batch = {}
        for key, fill in (("input_ids", self.pad_token_id), ("attention_mask", 0),
                          ("token_type_ids", 0)):
            if key in features[0]:
                batch[key] = torch.tensor([f[key] + [fill] * (width - len(f[key])) for f in features])
        return batch


def load_fast(base_dir: Path, model_dir: Path) -> tuple[FastBert, FastTokenizer] | None:
    """A merged FastBert (base weights + the model's LoRA adapter) and a FastTokenizer, or
    None when the base is not a plain BERT or the adapter is not plain LoRA."""
    from safetensors.torch import load_file

    from .modeldir import lora_deltas

    config = json.loads((base_dir / "config.json").read_text(encoding="utf-8"))
    if not (FastBert.supports(config) and (model_dir / "adapter_config.json").exists()
            and (model_dir / "tokenizer.json").exists()):
        return None
    deltas = lora_deltas(model_dir)
    if deltas is None:
        return None
    weights = load_file(str(base_dir / "model.safetensors"))
    for name, delta in deltas.items():
        if name not in weights:
            return None
        weights[name] = weights[name] + delta
    with torch.device("meta"):  # no random init: every weight comes from the checkpoint
        model = FastBert(config)
    try:
        model.load_checkpoint(weights)
    except ValueError:
        return None
    model.eval()
    special = json.loads((model_dir / "tokenizer_config.json").read_text(encoding="utf-8")) if (
        model_dir / "tokenizer_config.json").exists() else {}
    pad = special.get("pad_token", "[PAD]")
    return model, FastTokenizer(model_dir / "tokenizer.json", pad if isinstance(pad, str) else "[PAD]")


__all__ = ["FastBert", "FastTokenizer", "load_fast"]
