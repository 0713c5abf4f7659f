"""What a solution's sentences state about the trainable parameters of each layer of the SVHN
network (dl-2025-final-a, 3.1.2), decided on the counted arrays (shared.svhn_cnn).

A clause that speaks of weights or parameters and names a layer (a pooling layer also as "the
pooling layers") states none (`have no trainable weights`, `parameter-free`), a count (`has 208
parameters`) or some (`have trainable weights`); a negation before it turns it round. The words
pick what is claimed; the counted arrays decide whether it holds (shared.claims).
"""

from __future__ import annotations

import re

from derive.verdict import Decision, Outcome
from shared.claims import Subject, decide_each, stated_paragraphs
from shared.svhn_cnn import LAYER, NETWORK, Layer, parameter_count

# What a sentence about a layer's parameters says: none (`have no trainable weights`, `are
# parameter-free`, `without parameters`), a count (`has 208 parameters`) or some (`have trainable
# weights`); a negation before it (`do not have`) turns it round (shared.claims).
_PARAMETERS = r"(?:trainable\s+|learnable\s+)?(?:weights|parameters|params)"
_OWN = r"(?:have|has|own|owns|contain|contains|carry|carries|hold|holds)"
_COUNT_WORDS = (
    (rf"\b(?:{_OWN}\s+)?(?:no|zero)\s+{_PARAMETERS}\b|\bparameter-?free\b"
     rf"|\bwithout\s+(?:any\s+)?{_PARAMETERS}\b|\bnothing to (?:train|learn)\b", "="),
    (rf"\b{_OWN}\s+(?=(?:exactly\s+|only\s+)?\d+\s+{_PARAMETERS}\b)", "="),
    (rf"\b{_OWN}\b", "some"),
)


def _layer_subject(layer: Layer) -> Subject:
    """A layer's trainable parameters, named in a clause that speaks of weights or parameters
    and names the layer (a pooling layer also as `the pooling layers`, or AvgPool alone)."""
    names = rf"\b{layer.name}\b"
    if layer.kind == "pool":
        names = rf"\bAv[gq]Pool-{layer.name[-1]}\b|\bAv[gq]Pool\b(?!-)|\bpooling\b"
    words = (rf"(?s)^(?=.*\b(?:weights?|parameters?|params)\b|.*parameter-?free|.*nothing to (?:train|learn))"
             rf"(?=.*(?:{names}))")

    def values(point):
        del point
        count = int(parameter_count(layer.name))
        return count, 0, f"counting the entries of the arrays {layer.name} owns gives {count}"

    return Subject(f"the trainable parameters of {layer.name}", words, values, "0", _COUNT_WORDS)


# `Conv-1 has 208 parameters and Conv-2 has 2064`: after a clause with its verb, a layer named
# with a verb of its own after `and` or a comma starts a claim of its own.
_NEXT_LAYER_CLAIM = re.compile(rf"(?:,\s*|\s+)and\s+(?=(?:the\s+)?{LAYER.pattern}\s+{_OWN}\b)|,\s+"
                               rf"(?=(?:the\s+)?{LAYER.pattern}\s+{_OWN}\b)")
_VERB = re.compile(rf"\b{_OWN}\b")


def _layer_sentences(stated) -> tuple[list[str], list[str]]:
    texts, sources = stated_paragraphs(stated)
    return [_split_layer_claims(text) for text in texts], sources


def _split_layer_claims(text: str) -> str:
    pieces, start = [], 0
    for match in _NEXT_LAYER_CLAIM.finditer(text):
        if _VERB.search(text, start, match.start()):   # `AvgPool-1 and AvgPool-2 have` stays one
            pieces.append(text[start:match.start()])
            start = match.end()
    return ". ".join(pieces + [text[start:]])


POOLING_LAYERS = tuple(_layer_subject(layer) for layer in NETWORK if layer.kind == "pool")
CONVOLUTIONS = tuple(_layer_subject(layer) for layer in NETWORK if layer.kind == "conv")


def check_pooling_parameters(seed: int, stated) -> Decision:
    """What the sentences state about each layer's parameters, against the counted arrays: the
    pooling layers' must be stated (the display lines count the convolutions'), a sentence
    about a convolution's is decided too."""
    del seed   # nothing is sampled
    prose, sources = _layer_sentences(stated)
    convolutions = decide_each(prose, CONVOLUTIONS, required=False, sources=sources)
    if not convolutions.outcome.is_success:
        return convolutions
    pooling = decide_each(prose, POOLING_LAYERS, required=True, sources=sources)
    if pooling.outcome.is_success and convolutions.outcome is not Outcome.PROSE:
        return Decision(pooling.outcome, pooling.method, message=f"{pooling.message}; {convolutions.message}",
                        lines=pooling.lines + convolutions.lines)
    return pooling
