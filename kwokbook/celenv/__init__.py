"""CEL as KWOK v0.8.0 runs it (cel-go v0.26.0 through easycel v0.6.0), in pure Python.

Why our own engine: KWOK type-checks every expression before running it (easycel calls
``env.Check``), reports cel-go's exact error texts, and gives CEL's error-absorbing ``&&``/``||``,
``has()`` and ``no such key`` semantics that the stage engine depends on. Neither cel-python nor
the Rust bindings have a checker, and both differ on stage-relevant cases (see ``kwokbook.cel``).

Layers: :mod:`.lexer` and :mod:`.parser` (ANTLR-compatible tokens, cel-go's AST, macros and
syntax-error texts), :mod:`.checker` (cel-go's type checker with KWOK's declarations),
:mod:`.values` and :mod:`.interp` (cel-go's runtime semantics), :mod:`.quantity`
(``k8s.io/apimachinery`` ``resource.Quantity``) and :mod:`.typed` (typed Pod/Node ``self``).
"""
