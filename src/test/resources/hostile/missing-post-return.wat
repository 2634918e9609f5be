;; A clue parser that lacks cabi_post_parse: it must be rejected when loaded, not on a request.
(module
  (memory (export "memory") 1)
  (func (export "cabi_realloc") (param i32 i32 i32 i32) (result i32) (i32.const 1024))
  (func (export "parse") (param i32 i32) (result i32) (i32.const 0)))
