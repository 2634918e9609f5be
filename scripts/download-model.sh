#!/usr/bin/env bash
# Downloads a GGUF model for crossword-helper into models/ (or --dest), with a
# progress bar, resume, and a SHA-256 check before the file gets its final name.
#
#   scripts/download-model.sh [options] MODEL_ID
#   scripts/download-model.sh --list
#
# MODEL_ID (see models/README.md for sources, sizes and where each hash comes from):
#   llama-2-7b-chat          Llama 2 7B Chat Q4_K_M (TheBloke)  the original demo's model;
#                            the default CROSSWORD_MODEL and compose profile "local"
#   qwen2.5-7b-instruct      Qwen2.5 7B Instruct Q4_K_M (official Qwen, 2 split files)
#   llama-2-13b-chat         Llama 2 13B Chat Q4_K_M (TheBloke)  compose profile "remote"
#   mistral-7b-instruct-v0.3 Mistral 7B Instruct v0.3 Q4_K_M (bartowski); no pinned
#                            hash: needs --sha256
#
# Options:
#   --sha256 HASH      expected SHA-256 (required for a model without a pinned hash;
#                      replaces the pinned one otherwise; single-file models only)
#   --dest DIR         target folder (default: models/ next to this script's parent)
#   --url URL          download from URL instead (a mirror, or a local test server);
#                      the file still gets the model's usual name
#   --accept-license   accept the model's licence without the interactive prompt
#   --list             list the models and exit
#
# Safety: bytes go to DIR/.NAME.part (resumed with curl -C - when re-run), are
# checked with sha256sum, and only then renamed to DIR/NAME in one step. A
# mismatch deletes the .part and exits non-zero; nothing appears under NAME.
# Exit codes: 0 ok, 1 download or checksum failure, 2 usage, 3 licence not accepted.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PROG="download-model"

die() { echo "$PROG: $*" >&2; exit 1; }
usage_error() { echo "$PROG: $*" >&2; echo "usage: $0 [--sha256 HASH] [--dest DIR] [--url URL] [--accept-license] MODEL_ID | --list" >&2; exit 2; }

LLAMA2_LICENSE="Llama 2 Community License Agreement (Meta), with the Llama 2 Acceptable Use Policy
  https://ai.meta.com/llama/license/  and  https://ai.meta.com/llama/use-policy/
  Among its terms: products with more than 700 million monthly active users need
  a separate licence from Meta, and the model may not be used to improve other LLMs."
APACHE_LICENSE="Apache License 2.0  https://www.apache.org/licenses/LICENSE-2.0"

# Sets, for one MODEL_ID: TITLE, LICENSE_TEXT, NEEDS_ACCEPT (yes|no) and the
# parallel arrays FILES, URLS, HASHES (empty: not pinned), SIZES (bytes, or empty).
model_info() {
  FILES=() URLS=() HASHES=() SIZES=()
  case "$1" in
    llama-2-7b-chat)
      TITLE="Llama 2 7B Chat, GGUF Q4_K_M (TheBloke/Llama-2-7B-Chat-GGUF)"
      LICENSE_TEXT="$LLAMA2_LICENSE"; NEEDS_ACCEPT=yes
      FILES=(llama-2-7b-chat.Q4_K_M.gguf)
      URLS=(https://huggingface.co/TheBloke/Llama-2-7B-Chat-GGUF/resolve/191239b3e26b2882fb562ffccdd1cf0f65402adb/llama-2-7b-chat.Q4_K_M.gguf)
      HASHES=(08a5566d61d7cb6b420c3e4387a39e0078e1f2fe5f055f3a03887385304d4bfa)
      SIZES=(4081004224) ;;
    qwen2.5-7b-instruct)
      TITLE="Qwen2.5 7B Instruct, GGUF Q4_K_M (Qwen/Qwen2.5-7B-Instruct-GGUF, 2 split files)"
      LICENSE_TEXT="$APACHE_LICENSE"; NEEDS_ACCEPT=no
      FILES=(qwen2.5-7b-instruct-q4_k_m-00001-of-00002.gguf qwen2.5-7b-instruct-q4_k_m-00002-of-00002.gguf)
      URLS=(https://huggingface.co/Qwen/Qwen2.5-7B-Instruct-GGUF/resolve/bb5d59e06d9551d752d08b292a50eb208b07ab1f/qwen2.5-7b-instruct-q4_k_m-00001-of-00002.gguf
            https://huggingface.co/Qwen/Qwen2.5-7B-Instruct-GGUF/resolve/bb5d59e06d9551d752d08b292a50eb208b07ab1f/qwen2.5-7b-instruct-q4_k_m-00002-of-00002.gguf)
      HASHES=(dfce12e3862a5283ccfb88221b48480e58745165de856439950d0f22590580db
              539cf93f78e887edea1c04e2d7d8cdaca9d01dae9c9025bcb8accbe29df3d72a)
      SIZES=(3993201344 689872288) ;;
    llama-2-13b-chat)
      TITLE="Llama 2 13B Chat, GGUF Q4_K_M (TheBloke/Llama-2-13B-chat-GGUF)"
      LICENSE_TEXT="$LLAMA2_LICENSE"; NEEDS_ACCEPT=yes
      FILES=(llama-2-13b-chat.Q4_K_M.gguf)
      URLS=(https://huggingface.co/TheBloke/Llama-2-13B-chat-GGUF/resolve/4458acc949de0a9914c3eab623904d4fe999050a/llama-2-13b-chat.Q4_K_M.gguf)
      HASHES=(7ddfe27f61bf994542c22aca213c46ecbd8a624cca74abff02a7b5a8c18f787f)
      SIZES=(7865956224) ;;
    mistral-7b-instruct-v0.3)
      TITLE="Mistral 7B Instruct v0.3, GGUF Q4_K_M (bartowski/Mistral-7B-Instruct-v0.3-GGUF)"
      LICENSE_TEXT="$APACHE_LICENSE"; NEEDS_ACCEPT=no
      FILES=(Mistral-7B-Instruct-v0.3-Q4_K_M.gguf)
      URLS=(https://huggingface.co/bartowski/Mistral-7B-Instruct-v0.3-GGUF/resolve/main/Mistral-7B-Instruct-v0.3-Q4_K_M.gguf)
      HASHES=("")   # no hash confirmed from a cited source: --sha256 is required
      SIZES=("") ;;
    *) return 1 ;;
  esac
}

MODEL_IDS=(llama-2-7b-chat qwen2.5-7b-instruct llama-2-13b-chat mistral-7b-instruct-v0.3)

list_models() {
  local id i
  for id in "${MODEL_IDS[@]}"; do
    model_info "$id"
    echo "$id"
    echo "  $TITLE"
    for i in "${!FILES[@]}"; do
      local size_text="size unknown"
      [ -z "${SIZES[$i]}" ] || size_text="${SIZES[$i]} bytes"
      echo "  ${FILES[$i]}  $size_text  sha256 ${HASHES[$i]:-NOT PINNED (pass --sha256)}"
    done
    echo "  licence: ${LICENSE_TEXT%%$'\n'*}"
  done
}

sha=""; dest="$ROOT/models"; url=""; accept=no; model=""
while [ "$#" -gt 0 ]; do
  case "$1" in
    --sha256) [ "$#" -ge 2 ] || usage_error "--sha256 needs a value"; sha="$2"; shift 2 ;;
    --sha256=*) sha="${1#*=}"; shift ;;
    --dest) [ "$#" -ge 2 ] || usage_error "--dest needs a value"; dest="$2"; shift 2 ;;
    --dest=*) dest="${1#*=}"; shift ;;
    --url) [ "$#" -ge 2 ] || usage_error "--url needs a value"; url="$2"; shift 2 ;;
    --url=*) url="${1#*=}"; shift ;;
    --accept-license) accept=yes; shift ;;
    --list) list_models; exit 0 ;;
    -h|--help) sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    --) shift; break ;;
    -*) usage_error "unknown option $1" ;;
    *) [ -z "$model" ] || usage_error "one MODEL_ID only (got $model and $1)"; model="$1"; shift ;;
  esac
done
if [ "$#" -gt 0 ]; then
  { [ -z "$model" ] && [ "$#" -eq 1 ]; } || usage_error "one MODEL_ID only"
  model="$1"
fi
[ -n "$model" ] || usage_error "no MODEL_ID given (try --list)"
model_info "$model" || usage_error "unknown MODEL_ID '$model'; known: ${MODEL_IDS[*]}"

if [ -n "$sha" ]; then
  sha="$(printf '%s' "$sha" | tr 'A-F' 'a-f')"
  [[ "$sha" =~ ^[0-9a-f]{64}$ ]] || usage_error "--sha256 must be 64 hexadecimal digits"
fi
if [ "${#FILES[@]}" -gt 1 ] && { [ -n "$sha" ] || [ -n "$url" ]; }; then
  usage_error "$model has ${#FILES[@]} files with pinned hashes; --sha256 and --url apply to single-file models only"
fi
if [ -n "$url" ]; then
  URLS=("$url")
  SIZES=("")   # a mirror's size is checked by the hash alone
fi
if [ -n "$sha" ]; then
  if [ -n "${HASHES[0]}" ] && [ "${HASHES[0]}" != "$sha" ]; then
    echo "$PROG: warning: --sha256 replaces the pinned hash ${HASHES[0]} of $model" >&2
  fi
  HASHES=("$sha")
fi
for i in "${!FILES[@]}"; do
  if [ -z "${HASHES[$i]}" ]; then
    echo "$PROG: refusing to download $model: no SHA-256 is pinned for ${FILES[$i]}" >&2
    echo "$PROG: (none could be confirmed from a cited source). Find the file's SHA-256 on its" >&2
    echo "$PROG: download page and run again with --sha256 HASH; see models/README.md." >&2
    exit 2
  fi
done

command -v curl >/dev/null 2>&1 || die "curl is required (apt-get install curl)"
command -v sha256sum >/dev/null 2>&1 || die "sha256sum is required (coreutils)"

# The licence comes first: nothing is fetched before it is shown (and accepted).
echo "Model:   $TITLE"
echo "Licence: $LICENSE_TEXT"
if [ "$NEEDS_ACCEPT" = yes ] && [ "$accept" != yes ]; then
  if [ -t 0 ]; then
    read -r -p "Do you accept this licence? [y/N] " answer || answer=""
    case "$answer" in
      y|Y|yes|YES|Yes) ;;
      *) echo "$PROG: licence not accepted; nothing downloaded" >&2; exit 3 ;;
    esac
  else
    echo "$PROG: $model requires accepting its licence. Standard input is not a terminal," >&2
    echo "$PROG: so run again with --accept-license to accept it; nothing downloaded." >&2
    exit 3
  fi
fi

mkdir -p "$dest"
dest="$(cd "$dest" && pwd)"

# Prints the SHA-256 of a file.
sha_of() { sha256sum "$1" | cut -d' ' -f1; }

# Downloads one file: URL, NAME, SHA256, SIZE (may be empty).
fetch_one() {
  local src="$1" name="$2" want="$3" size="$4"
  local final="$dest/$name" part="$dest/.$name.part" have got rc

  if [ -e "$final" ]; then
    echo "$PROG: $name exists; checking its SHA-256"
    got="$(sha_of "$final")"
    if [ "$got" = "$want" ]; then
      echo "$PROG: $final is already present and verified"
      return 0
    fi
    die "$final exists but its SHA-256 is $got, not $want; move it away and run again"
  fi

  if [ -e "$part" ] && [ -n "$size" ]; then
    have="$(stat -c %s "$part")"
    if [ "$have" -gt "$size" ]; then
      echo "$PROG: $part is larger than $name should be; starting over"
      rm -f "$part"
    fi
  fi
  if [ -n "$size" ]; then
    local avail need
    have=0; [ -e "$part" ] && have="$(stat -c %s "$part")"
    need=$(( (size - have) / 1024 ))
    avail="$(df -Pk "$dest" | awk 'NR == 2 { print $4 }')"
    if [ -n "$avail" ] && [ "$avail" -lt "$need" ]; then
      die "not enough space in $dest: $((need / 1024)) MiB needed, $((avail / 1024)) MiB free"
    fi
  fi

  if [ -e "$part" ] && [ -n "$size" ] && [ "$(stat -c %s "$part")" -eq "$size" ]; then
    echo "$PROG: $part is complete; verifying"
  else
    if [ -s "$part" ]; then
      echo "$PROG: resuming $name from $(stat -c %s "$part") bytes"
    else
      echo "$PROG: downloading $name"
    fi
    echo "$PROG:   from $src"
    rc=0
    curl --fail --location --progress-bar --retry 3 --retry-delay 2 \
      --continue-at - --output "$part" "$src" || rc=$?
    if [ "$rc" -eq 33 ]; then
      # The server ignores byte ranges: start again from the first byte.
      echo "$PROG: the server cannot resume; downloading $name from the start"
      rm -f "$part"
      rc=0
      curl --fail --location --progress-bar --retry 3 --retry-delay 2 \
        --output "$part" "$src" || rc=$?
    fi
    if [ "$rc" -ne 0 ]; then
      die "download of $name failed (curl exit $rc); run again to resume from $part"
    fi
  fi

  echo "$PROG: verifying SHA-256 of $name"
  got="$(sha_of "$part")"
  if [ "$got" != "$want" ]; then
    rm -f "$part"
    echo "$PROG: CHECKSUM MISMATCH for $name" >&2
    echo "$PROG:   expected $want" >&2
    echo "$PROG:   got      $got" >&2
    echo "$PROG: the download was deleted; $final was not created" >&2
    exit 1
  fi
  chmod 644 "$part"
  mv -f "$part" "$final"
  echo "$PROG: OK $final"
}

for i in "${!FILES[@]}"; do
  fetch_one "${URLS[$i]}" "${FILES[$i]}" "${HASHES[$i]}" "${SIZES[$i]}"
done
if [ "${#FILES[@]}" -gt 1 ]; then
  echo "$PROG: split model: point CROSSWORD_MODEL at the first file, $dest/${FILES[0]}"
fi
