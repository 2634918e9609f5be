;; A clue parser that traps at once (unreachable).
(module
  (memory (export "memory") 1)
  (global $bump (mut i32) (i32.const 1024))
  (func (export "cabi_realloc") (param i32 i32 i32 i32) (result i32)
    (local $p i32)
    (local.set $p (global.get $bump))
    (global.set $bump (i32.add (global.get $bump) (local.get 3)))
    (local.get $p))
  (func (export "parse") (param i32 i32) (result i32)
    unreachable)
  (func (export "cabi_post_parse") (param i32)))
