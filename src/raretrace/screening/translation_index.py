"""The listed names a name in Chinese characters or Arabic script is compared with
(``translate``): an index of the names in Latin letters by word, by the start of each
word and by the start of each word's sound key, and the search for the names a query
renders best."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from anyascii import anyascii
from rapidfuzz import fuzz

from raretrace.screening.feature_weights import TRANSLATED
from raretrace.screening.native import japanese_reading
from raretrace.screening.normalise import NormalName, normalise
from raretrace.screening.phonetic import english_key, pinyin_like
from raretrace.screening.siblings import alike_letters
from raretrace.screening.transcription import (
    SURNAME_SHARED,
    heard_keys,
    read,
    spelled,
    transcription,
)
from raretrace.screening.translate import (
    COMPOUND_MIN,
    INITIALISM_MAX,
    SOUND_MIN,
    Rendering,
    Unit,
    arabic_key,
    optional_word,
    organisation,
    own_acronym,
    render,
    units,
)
from raretrace.screening.translation_tables import ARABIC_OPTIONAL_SENSES, LISTED_OPTIONAL

_PARENS = re.compile(r"\([^()]*\)")
#: an acronym in brackets after a listed name (its abbreviation, not words of it: a
#: name in characters does not render it)
_ACRONYM_AFTER = re.compile(r"\(\s*[A-Z][A-Z0-9&-]{1,7}(?:\s+\d{1,4})?\s*\)\s*$")


def _leads(unit: Unit, script: str, short: bool) -> bool:
    """Whether a sound run may find the candidates: two key letters or more, or, in
    Chinese characters when nothing else finds them (``short``), any run (by its
    pinyin's first letters: 玉沙集团, yusha, key "S", beside the optional 集团)."""
    return len(unit.key) >= 2 or (short and script == "han" and unit.kind == "sound")


class TranslationIndex:
    """The listed names in Latin letters, for ``find``: by word, by the first two letters
    of each word, and by the first two letters of each word's sound keys."""

    def __init__(
        self,
        names: Iterable[tuple[str, NormalName]],
        skip: Iterable[set[str]],
        persons: Iterable[bool],
        entries: Iterable[int] | None = None,
    ) -> None:
        self._tokens: list[tuple[str, ...]] = []
        #: an organisation's name without what it puts in parentheses (Krasnogorsk Plant
        #: named after S.A. Zvereva (KMZ ‘Zenit’); a bracketed acronym after the name, which
        #: a name in characters does not render), where that differs: also rendered
        self._bare: dict[int, tuple[str, ...]] = {}
        #: scripts each name's entry also has a name in (those names are not compared)
        self._scripts: list[set[str]] = list(skip)
        #: whether each name is a listed person's
        self._persons: list[bool] = list(persons)
        #: whether each name reads as pinyin (not compared with names in characters:
        #: the ordinary path reads those in pinyin and compares the letters)
        self._pinyin: list[bool] = []
        #: length of each name's sound key (words of two letters or more)
        self._key_sizes: list[int] = []
        self._by_word: dict[str, set[int]] = {}
        self._by_start: dict[str, set[int]] = {}
        self._by_prefix: dict[str, set[int]] = {}  # first COMPOUND_MIN letters
        self._by_suffix: dict[str, set[int]] = {}  # last COMPOUND_MIN letters
        self._by_sound: dict[tuple[str, str], set[int]] = {}
        #: listed persons' names by the first two letters of their surname's keys (as
        #: spelled and as Chinese may hear it: ``transcription``)
        self._by_surname: dict[str, set[int]] = {}
        #: the entry of each name (names of one entry are one person)
        self._owners: list[int] = []
        owners = list(entries) if entries is not None else None
        for n, (listed, norm) in enumerate(names):
            tokens = norm.tokens
            if "," in listed and self._persons[n]:  # SURNAME, Given: said Given Surname
                surname, given = listed.split(",", 1)
                tokens = normalise(f"{given} {surname}").tokens or tokens
            self._tokens.append(tokens)
            sized = tokens
            if "(" in listed and not self._persons[n]:
                bare = normalise(_PARENS.sub(" ", listed)).tokens
                if bare and bare != tokens:
                    self._bare[n] = bare
                    if _ACRONYM_AFTER.search(listed):  # ... 13th Research Institute (CETC 13)
                        sized = bare
            self._owners.append(owners[n] if owners is not None else n)
            if self._persons[n] and (words := [t for t in tokens if len(t) > 1]):
                for key in heard_keys(words[-1]):
                    self._by_surname.setdefault(key[:2], set()).add(n)
            self._key_sizes.append(
                sum(len(english_key(t)) for t in sized if len(t) > 1 and t not in LISTED_OPTIONAL)
            )
            self._pinyin.append(len(tokens) > 1 and all(pinyin_like(t) for t in tokens))
            for tok in tokens:
                self._by_word.setdefault(tok, set()).add(n)
                self._by_start.setdefault(tok[:2], set()).add(n)
                if len(tok) > COMPOUND_MIN:
                    self._by_prefix.setdefault(tok[:COMPOUND_MIN], set()).add(n)
                    self._by_suffix.setdefault(tok[-COMPOUND_MIN:], set()).add(n)
                english = english_key(tok)
                for script, key in (
                    ("han", english),
                    ("arabic", arabic_key(tok)),
                    ("cyrillic", english),
                    ("hangul", english),
                ):
                    if key:
                        self._by_sound.setdefault((script, key[:2]), set()).add(n)

    def _could(self, unit: Unit, script: str) -> set[int]:
        """Names that could match ``unit``: by a sense (whole word, start or end of
        a compound), as written (a Latin unit), or by its sound (the first two letters
        of its key or Hepburn reading's key)."""
        found: set[int] = set()
        for sense in unit.senses:
            found |= self._by_word.get(sense[0], set())
            if len(sense) == 1 and len(sense[0]) >= COMPOUND_MIN:
                found |= {
                    n
                    for n in self._by_prefix.get(sense[0][:COMPOUND_MIN], ())
                    if any(t.startswith(sense[0]) for t in self._tokens[n])
                }
                found |= {
                    n
                    for n in self._by_suffix.get(sense[0][-COMPOUND_MIN:], ())
                    if any(t.endswith(sense[0]) for t in self._tokens[n])
                }
        if unit.kind == "latin":
            found |= {
                n
                for n in self._by_start.get(unit.text[:2], ())
                if any(t.startswith(unit.text) for t in self._tokens[n])
            }
        if unit.key and script == "arabic":
            # or begun by letters romanisations write alike (ايجر "jr": EIGER "gr")
            for a in alike_letters(unit.key[0]):
                for b in alike_letters(unit.key[1:2]) if len(unit.key) > 1 else ("",):
                    found |= self._by_sound.get((script, a + b), set())
        elif unit.key:
            found |= self._by_sound.get((script, unit.key[:2]), set())
        if unit.reading:
            found |= self._by_sound.get(("han", english_key(unit.reading)[:2]), set())
        if script == "han" and unit.kind == "sound":  # or its pinyin: SUZHOU BAISHENG ...
            found |= self._by_start.get(anyascii(unit.text).lower()[:2], set())
        return found

    def _candidates(self, query: Sequence[Unit], script: str) -> set[int]:
        """Names that could match every Latin unit and every glossary word that must
        be there, and the first sound run of two key letters or more (which begins a
        word)."""
        found: set[int] | None = None
        spelled = self._initialisms(query) if script == "cyrillic" else {}
        for k, unit in enumerate(query):
            if unit.kind == "sound" or (unit.kind == "word" and optional_word(unit)):
                continue
            hit = self._could(unit, script) | spelled.get(k, set())
            found = hit if found is None else found & hit
        # only optional words to find them by (集团 group): a short key too
        short = found is None and any(u.kind == "word" for u in query)
        first = next(
            (u for u in query if (u.kind == "sound" or u.place) and _leads(u, script, short)),
            None,
        )
        if first and first.starts_word and not any(u.kind == "latin" for u in query):
            hit = self._could(first, script)
            if script == "cyrillic" and first.kind == "sound":
                # or by its letters, where the keys part (Сохра: sokhra, Sohra)
                hit |= self._by_start.get(first.reading[:2], set())
            if first.place:  # a place the listed name may leave out: or the sound after it
                after = query[query.index(first) + 1 :]
                nxt = next(
                    (u for u in after if u.kind == "sound" and _leads(u, script, short)), None
                )
                hit |= self._could(nxt, script) if nxt else set()
            if script == "cyrillic" and (found is not None or first.acronym):
                # words found already: the listed name may have translated the first
                # sound run (Республиканское ... ЦЕНТРКУРОРТ: Republican ...
                # TSENTRKURORT), so any sound run that begins a word may lead; so too
                # after an acronym, which the listed name may write out (ОДК-Климов:
                # UEC Klimov)
                for unit in query:
                    if unit.kind == "sound" and unit.starts_word and len(unit.key) >= 2:
                        hit |= self._could(unit, script)
                        # or by its letters, where the keys part (архангел: Archangel)
                        hit |= self._by_start.get(unit.reading[:2], set())
                        if unit.akanye and unit.reading[:1] == "a":  # Аршанскі: Orsha
                            hit |= self._by_start.get("o" + unit.reading[1:2], set())
            found = hit if found is None else found & hit
        return found or set()

    def _initialisms(self, query: Sequence[Unit]) -> dict[int, set[int]]:
        """Per unit of the query, the names with a word its run of units may spell out
        by initials (``translate._initialisms``: НПО for научно-производственное
        объединение)."""
        out: dict[int, set[int]] = {}
        for size in range(2, INITIALISM_MAX + 1):
            for start in range(len(query) - size + 1):
                run = query[start : start + size]
                if not all(u.reading for u in run):
                    continue
                names = self._by_word.get("".join(u.reading[0] for u in run))
                if names:
                    for k in range(start, start + size):
                        out.setdefault(k, set()).update(names)
        return out

    def find(self, name: str) -> dict[int, Rendering]:
        """The listed names (positions) ``name`` renders best, with how."""
        query, script = units(name)
        if not query:
            return {}
        company = organisation(name, query, script)
        if script == "cyrillic" and len(query) == 1 and len(query[0].reading) >= ONE_WORD_MIN:
            # one word in Cyrillic is no person's full name: an organisation's (Гринекс)
            company = True
        sounds_only = all(u.kind == "sound" for u in query)
        if sounds_only and script in ("arabic", "cyrillic", "hangul") and not company:
            return {}  # persons' names: not rendered
        out: dict[int, Rendering] = {}
        for variant in (query, *own_acronym(query)) if script == "cyrillic" else (query,):
            self._render_all(variant, script, company, sounds_only, out)
        if script == "han" and not company:
            self._read_back(name, out)
        if not out:
            return {}
        top = max((r.value, r.letters) for r in out.values())
        # a name in Arabic script rendered word for word by the glossary (سازمان صنایع
        # دفاع: DEFENCE INDUSTRIES ORGANISATION) is as good as one read by sound
        # (SAZEMANE SANAYE DEFA): the letters in common of sound runs do not rank them
        whole = script == "arabic"
        return {
            n: r
            for n, r in out.items()
            if (r.value, r.letters) >= top or (whole and not r.sounds and r.value >= top[0])
        }

    def _render_all(
        self,
        query: Sequence[Unit],
        script: str,
        company: bool,
        sounds_only: bool,
        out: dict[int, Rendering],
    ) -> None:
        """Render ``query`` on its candidates into ``out`` (a name's best rendering)."""
        # sounds alone: a person only with a person, and keys of comparable length
        # (a rapidfuzz ratio of SOUND_MIN bounds the length ratio)
        size = sum(len(u.key) for u in query)
        low, high = size * SOUND_MIN / (2 - SOUND_MIN), size * (2 - SOUND_MIN) / SOUND_MIN
        by_length = sounds_only and not all(u.reading for u in query)
        # a Persian state body's name without its kind (سازمان, organisation), which
        # its romanised listing may leave out (BASIJ-E MOSTAZ'AFIN), against organisations
        bare_kind: tuple[Unit, ...] = ()
        if script == "arabic" and company:
            bare_kind = tuple(
                u for u in query if not any(s[0] in ARABIC_OPTIONAL_SENSES for s in u.senses)
            )
            bare_kind = bare_kind if 0 < len(bare_kind) < len(query) else ()
        candidates = self._candidates(query, script)
        if bare_kind:
            candidates |= self._candidates(bare_kind, script)
        for n in candidates:
            if script in self._scripts[n] or (script == "han" and self._pinyin[n]):
                continue
            if sounds_only and (
                company == self._persons[n] or (by_length and not low <= self._key_sizes[n] <= high)
            ):
                continue
            r = render(query, self._tokens[n], script, company, self._persons[n])
            if bare_kind and (
                kindless := render(bare_kind, self._tokens[n], script, True, self._persons[n])
            ):
                r = kindless if r is None or kindless.value > r.value else r
            if n in self._bare and script in ("cyrillic", "han"):
                bare = render(query, self._bare[n], script, company, self._persons[n])
                if bare is not None and (r is None or bare.value > r.value):
                    r = bare
            if r is not None and (n not in out or r.value > out[n].value):
                out[n] = r

    def _read_back(self, name: str, out: dict[int, Rendering]) -> None:
        """Add to ``out`` the listed persons a foreign person's name in Chinese
        characters reads as by sound (``transcription``), where that values higher."""
        if (written := transcription(name)) is None:
            return
        parts = written.parts
        if len(parts) == 1:
            self._japanese_person(parts[0].text, out)
        if len(parts) > 1:
            # a full name: both parts must agree, not just the sounds run together
            by_sound = [n for n, r in out.items() if not (r.translated or r.latin or r.read)]
            for n in by_sound:
                if self._persons[n] and read(written, self._tokens[n]) is None:
                    del out[n]
        found = self._by_surname.get(parts[-1].key[:2], set())
        letters = spelled(written)
        alone: dict[int, Rendering] = {}
        for n in found:
            if "han" in self._scripts[n]:
                continue
            if (reading := read(written, self._tokens[n])) is None:
                continue
            value = reading.value(TRANSLATED.weight)
            if n in out and out[n].value >= value:
                continue
            heard = "".join(w for _, w in reading.pairs)
            rendering = Rendering(
                value,
                reading.similarity,
                (),
                (),
                "",
                "",
                "",
                "",
                fuzz.ratio(letters, heard) / 100.0,
                reading.detail(),
            )
            (alone if reading.surname_only else out)[n] = rendering
        if alone:
            # a surname alone: only where its best readings name few listed persons
            top = max((r.value, r.letters) for r in alone.values())
            best = {n: r for n, r in alone.items() if (r.value, r.letters) >= top}
            # names that read as pinyin count, but are left to the ordinary path: a
            # surname alone may be a Chinese name's
            if len({self._owners[n] for n in best}) <= SURNAME_SHARED:
                out.update({n: r for n, r in best.items() if not self._pinyin[n]})

    def _japanese_person(self, name: str, out: dict[int, Rendering]) -> None:
        """Add to ``out`` the listed persons whose family and given names are, letter
        for letter, the Hepburn reading of a Japanese person's name in kanji, family
        name first (岩崎茂: iwasaki shigeru, Shigeru Iwasaki). Only whole names of
        ``JAPANESE_NAME_MIN`` letters or more: a shorter reading may be anyone's."""
        reading = japanese_reading(name)
        if reading is None or len(reading) < JAPANESE_NAME_MIN:
            return
        for n in self._by_start.get(reading[:2], ()):
            words = [t for t in self._tokens[n] if len(t) > 1]
            if not self._persons[n] or len(words) != 2 or "han" in self._scripts[n]:
                continue
            for family, given in (words[::-1], words):
                if family + given == reading:
                    detail = (
                        f"{name} read in Japanese as '{family} {given}' (Hepburn, family name"
                        " first)"
                    )
                    out[n] = Rendering(TRANSLATED.weight, 1.0, (), (), "", "", "", "", 1.0, detail)
                    break


#: Fewest letters of a one-word Cyrillic name read as an organisation's (``find``).
ONE_WORD_MIN = 7
#: Fewest letters of a Japanese person's name read in Hepburn (``_japanese_person``).
JAPANESE_NAME_MIN = 8


__all__ = ["TranslationIndex"]
