;; A clue parser whose cabi_realloc always fails (returns 0, as the guest ABI does when out of memory).
;; The host must not write the argument to address 0 and call parse(0, len) as if it had succeeded.
(module
  (memory (export "memory") 1)
  (func (export "cabi_realloc") (param i32 i32 i32 i32) (result i32) (i32.const 0))
  (func (export "parse") (param i32 i32) (result i32)
    (i32.store (i32.const 16) (local.get 0))
    (i32.store (i32.const 20) (local.get 1))
    (i32.const 16))
  (func (export "cabi_post_parse") (param i32)))
