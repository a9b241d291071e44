#!/usr/bin/env python3
"""Fails, with the list, when a public declaration of TikTokKit, TikTokKitTesting or TikTokSandbox
has no doc comment.

Reads the symbol graphs the compiler writes with `-emit-symbol-graph` (`make docs` builds them):
  Tests/check-doc-comments.py .build/docs/symbol-graphs

Every public symbol the graphs list must carry a `///` comment of its own, except:

1. Symbols without a source location. The compiler made them: synthesized `Codable`, `Hashable`
   and `RawRepresentable` members, and the standard library's protocol-extension members a type
   picks up (`!=`, `Sequence.map`, `Actor.assumeIsolated`). There is no line to put a comment on.
2. A member that implements a requirement of a standard-library or Foundation protocol its type
   conforms to (the table `STANDARD_REQUIREMENTS`): `init(from:)` of a `Decodable` type,
   `description` of a `CustomStringConvertible` one, and so on. The requirement's own
   documentation says what the member is; a comment would repeat it. The member is exempt only
   when its type really conforms (directly, or through one of our protocols), so a stray
   `description` on a type that is not `CustomStringConvertible` still needs a comment.

Not exempt: implementations of TikTokKit's own protocols (`Transport.send(_:)` in `CurlTransport`,
`TokenProvider.accessToken()`), since each says what that implementation does; enum cases; and
static members such as error codes, which say what TikTok means by them.
"""

import json
import sys
from collections import defaultdict
from pathlib import Path
from urllib.parse import unquote, urlparse

MODULES = ["TikTokKit", "TikTokKitTesting", "TikTokSandbox"]

# Protocol (as the symbol graph names it) -> the requirements whose documentation applies as is.
STANDARD_REQUIREMENTS = {
    "Swift.Decodable": {"init(from:)"},
    "Swift.Encodable": {"encode(to:)"},
    "Swift.Equatable": {"==(_:_:)"},
    "Swift.Hashable": {"hash(into:)", "hashValue"},
    "Swift.Comparable": {"<(_:_:)"},
    "Swift.RawRepresentable": {"rawValue", "init(rawValue:)", "RawValue"},
    "Swift.CaseIterable": {"allCases", "AllCases"},
    "Swift.Identifiable": {"id", "ID"},
    "Swift.CustomStringConvertible": {"description"},
    "Swift.CustomDebugStringConvertible": {"debugDescription"},
    "Swift.CustomReflectable": {"customMirror"},
    "Swift.Sequence": {"makeIterator()", "Iterator", "Element"},
    "Swift.IteratorProtocol": {"next()", "Element"},
    "Swift.ExpressibleByStringLiteral": {"init(stringLiteral:)", "StringLiteralType"},
    "Swift.ExpressibleByExtendedGraphemeClusterLiteral": {
        "init(extendedGraphemeClusterLiteral:)", "ExtendedGraphemeClusterLiteralType"},
    "Swift.ExpressibleByUnicodeScalarLiteral": {"init(unicodeScalarLiteral:)", "UnicodeScalarLiteralType"},
    "Swift.ExpressibleByDictionaryLiteral": {"init(dictionaryLiteral:)", "Key", "Value"},
    "Swift.ExpressibleByArrayLiteral": {"init(arrayLiteral:)", "ArrayLiteralElement"},
    "FoundationEssentials.LocalizedError": {"errorDescription", "failureReason", "recoverySuggestion", "helpAnchor"},
    "Foundation.LocalizedError": {"errorDescription", "failureReason", "recoverySuggestion", "helpAnchor"},
}


def load(directory: Path, module: str):
    """The module's own graph and those of its extensions to other modules' types."""
    files = [directory / f"{module}.symbols.json"] + sorted(directory.glob(f"{module}@*.symbols.json"))
    if not files[0].exists():
        sys.exit(f"check-doc-comments: no {files[0]} (build with -emit-symbol-graph first)")
    return [json.loads(path.read_text()) for path in files]


def conformances(graphs):
    """Type identifier -> every protocol it conforms to, following our own protocols' parents."""
    direct = defaultdict(set)
    names = {}
    for graph in graphs:
        for symbol in graph["symbols"]:
            names[symbol["identifier"]["precise"]] = ".".join([graph["module"]["name"]] + symbol["pathComponents"])
        for relation in graph["relationships"]:
            if relation["kind"] in ("conformsTo", "inheritsFrom"):
                direct[relation["source"]].add(relation["target"])
                if "targetFallback" in relation:
                    names[relation["target"]] = relation["targetFallback"]

    def closure(identifier, seen):
        for parent in direct.get(identifier, ()):
            if parent not in seen:
                seen.add(parent)
                closure(parent, seen)
        return seen

    return {identifier: {names.get(p, p) for p in closure(identifier, set())} for identifier in direct}


def undocumented(graphs):
    conforms = conformances(graphs)
    parent = {}
    for graph in graphs:
        for relation in graph["relationships"]:
            if relation["kind"] == "memberOf":
                parent[relation["source"]] = relation["target"]
    found = []
    for graph in graphs:
        module = graph["module"]["name"]
        for symbol in graph["symbols"]:
            if symbol.get("docComment") or "location" not in symbol:
                continue
            title = symbol["names"]["title"]
            owner = parent.get(symbol["identifier"]["precise"])
            protocols = conforms.get(owner, set())
            if any(title in STANDARD_REQUIREMENTS.get(p, ()) for p in protocols):
                continue
            location = symbol["location"]
            path = Path(unquote(urlparse(location["uri"]).path))
            try:
                path = path.relative_to(Path.cwd())
            except ValueError:
                pass
            found.append((str(path), location["position"]["line"] + 1,
                          f"{module}.{'/'.join(symbol['pathComponents'])}", symbol["kind"]["displayName"]))
    return found


def main():
    directory = Path(sys.argv[1] if len(sys.argv) > 1 else ".build/docs/symbol-graphs")
    missing = sorted({entry for module in MODULES for entry in undocumented(load(directory, module))})
    for path, line, name, kind in missing:
        print(f"{path}:{line}: public {kind.lower()} {name} has no doc comment")
    if missing:
        print(f"check-doc-comments: {len(missing)} public declarations without a doc comment", file=sys.stderr)
        sys.exit(1)
    print(f"check-doc-comments: every public declaration of {', '.join(MODULES)} has a doc comment")


if __name__ == "__main__":
    main()
