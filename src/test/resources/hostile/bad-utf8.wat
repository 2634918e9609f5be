;; A clue parser that returns bytes that are not UTF-8: {"text":" then 0xFF 0xFE, a lone continuation byte
;; 0x80, a truncated two-byte sequence 0xC3 and an encoded surrogate 0xED 0xA0 0x80.
(module
  (memory (export "memory") 1)
  (data (i32.const 256) "{\"text\":\"\ff\fe\80\c3(\ed\a0\80\"}")
  (global $bump (mut i32) (i32.const 1024))
  (func (export "cabi_realloc") (param i32 i32 i32 i32) (result i32)
    (local $p i32)
    (local.set $p (global.get $bump))
    (global.set $bump (i32.add (global.get $bump) (local.get 3)))
    (local.get $p))
  (func (export "parse") (param i32 i32) (result i32)
    (i32.store (i32.const 16) (i32.const 256))
    (i32.store (i32.const 20) (i32.const 19))
    (i32.const 16))
  (func (export "cabi_post_parse") (param i32)
    (global.set $bump (i32.const 1024))))
