;; A clue parser that grabs memory: parse calls memory.grow until the host refuses, then stores one byte
;; past the end of what it got, which traps (out of bounds). Called with an argument that starts with 'c'
;; ("count"), it returns the number of pages it ended with instead, so a test can see the cap.
(module
  (memory (export "memory") 1)
  (global $bump (mut i32) (i32.const 1024))
  (func (export "cabi_realloc") (param i32 i32 i32 i32) (result i32)
    (local $p i32)
    (local.set $p (global.get $bump))
    (global.set $bump (i32.add (global.get $bump) (local.get 3)))
    (local.get $p))
  (func (export "parse") (param $ptr i32) (param $len i32) (result i32)
    (local $pages i32)
    (local $n i32)
    (local $at i32)
    (block $refused
      (loop $more
        (br_if $refused (i32.eq (memory.grow (i32.const 1)) (i32.const -1)))
        (br $more)))
    (local.set $pages (memory.size))
    (if (i32.eq (i32.load8_u (local.get $ptr)) (i32.const 99))
      (then
        ;; write $pages as decimal digits, right to left, ending at 64
        (local.set $at (i32.const 64))
        (local.set $n (local.get $pages))
        (loop $digits
          (local.set $at (i32.sub (local.get $at) (i32.const 1)))
          (i32.store8 (local.get $at) (i32.add (i32.const 48) (i32.rem_u (local.get $n) (i32.const 10))))
          (local.set $n (i32.div_u (local.get $n) (i32.const 10)))
          (br_if $digits (i32.ne (local.get $n) (i32.const 0))))
        (i32.store (i32.const 16) (local.get $at))
        (i32.store (i32.const 20) (i32.sub (i32.const 64) (local.get $at)))
        (return (i32.const 16))))
    ;; keep allocating: the next byte past the last page
    (i32.store8 (i32.mul (local.get $pages) (i32.const 65536)) (i32.const 1))
    (i32.const 16))
  (func (export "cabi_post_parse") (param i32)
    (global.set $bump (i32.const 1024))))
