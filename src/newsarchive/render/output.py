"""What a render step is: the outputs it lists and how it renders one (see steps.py)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, NamedTuple, Protocol

if TYPE_CHECKING:
    from newsarchive.site.facts import Scope
    from newsarchive.site.site import Site


class Output(NamedTuple):
    path: str  # relative to output/, POSIX
    kind: str  # the step that renders it
    params: tuple[Any, ...]
    scope: str = ""  # what it belongs to (site.facts.scope_key): its outputs are listed anew
    #                 when the structure of that scope changes


class Renderer(Protocol):
    def html(
        self, path: str, template: str, *, relative_urls: bool = True, **variables: Any
    ) -> None: ...
    def data(self, path: str, data: bytes) -> None: ...


@dataclass(frozen=True)
class Step:
    kind: str
    scope: str  # the kind of scope whose outputs it lists ("article", "listing", "fixed"...)
    outputs: Callable[[Site, Scope], Iterable[Output]]
    render: Callable[[Site, Output, Renderer], None]
