#!/usr/bin/env bash
# Times usdchecker the way CI uses it:
#   1. 1,000 generated assets checked in one call with -j 2 (total wall time
#      and peak memory), next to `cat` reading the same files;
#   2. one small asset from process start to exit (median of many runs),
#      next to `cat` of the same file: the cost of calling it once per file;
#   3. one prim with 12 two-way variant sets checked in every one of its
#      4,096 combinations (--maxVariantCombinations 0): time and whether
#      memory stays flat as combinations are checked.
#
#   tools/bench-check.sh [--usdchecker PATH] [--dir DIR]
#
# Environment: BENCH_REPS (default 5 for the batch, 20 for one asset),
# BENCH_ASSETS (default 1000). Assets are generated once into
# DIR/check-assets (default build/bench): each a component model with
# 5-24 meshes, a UsdPreviewSurface material reading a texture, a material
# binding, and a variant set with two variants; every tenth one breaks a
# rule (no metersPerUnit) so that the run also reports findings.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
checker="$root/build/usdchecker/usdchecker"
dir="$root/build/bench"
while [ $# -gt 0 ]; do
  case "$1" in
    --usdchecker) checker=$2; shift 2 ;;
    --dir) dir=$2; shift 2 ;;
    -h|--help) sed -n '2,16p' "$0"; exit 0 ;;
    *) echo "bench-check.sh: unknown argument '$1'" >&2; exit 2 ;;
  esac
done
reps=${BENCH_REPS:-5}
count=${BENCH_ASSETS:-1000}
[ -x "$checker" ] || { echo "bench-check.sh: '$checker' is not built (run: meson compile -C build)" >&2; exit 1; }
command -v python3 >/dev/null || { echo "bench-check.sh: python3 is missing" >&2; exit 1; }

assets="$dir/check-assets-$count"
if [ ! -s "$assets/done" ]; then
  mkdir -p "$assets"
  python3 - "$assets" "$count" <<'PY'
import os, sys
out, count = sys.argv[1], int(sys.argv[2])
open(os.path.join(out, "wood.png"), "wb").write(b"\x89PNG\r\n\x1a\n" + bytes(64))
for i in range(count):
    meshes = []
    for m in range(5 + i % 20):
        meshes.append(f'''        def Mesh "Part_{m}" (
            prepend apiSchemas = ["MaterialBindingAPI"]
        )
        {{
            float3[] extent = [(-1, -1, -1), (1, 1, 1)]
            int[] faceVertexCounts = [4, 4, 4, 4, 4, 4]
            int[] faceVertexIndices = [0, 1, 3, 2, 2, 3, 5, 4, 4, 5, 7, 6, 6, 7, 1, 0, 1, 7, 5, 3, 6, 0, 2, 4]
            point3f[] points = [(-1, -1, 1), (1, -1, 1), (-1, 1, 1), (1, 1, 1), (-1, 1, -1), (1, 1, -1), (-1, -1, -1), (1, -1, -1)]
            texCoord2f[] primvars:st = [(0, 0), (1, 0), (0, 1), (1, 1), (0, 0), (1, 0), (0, 1), (1, 1)] (
                interpolation = "vertex"
            )
            rel material:binding = </Asset_{i}/Looks/Wood>
            double3 xformOp:translate = ({m}, 0, 0)
            uniform token[] xformOpOrder = ["xformOp:translate"]
        }}''')
    broken = i % 10 == 9
    scale = "" if broken else "    metersPerUnit = 0.01\n"
    text = f'''#usda 1.0
(
    defaultPrim = "Asset_{i}"
{scale}    upAxis = "Y"
)

def Xform "Asset_{i}" (
    kind = "component"
    variants = {{
        string lod = "high"
    }}
    prepend variantSets = "lod"
)
{{
    def Scope "Geom"
    {{
{chr(10).join(meshes)}
    }}
    def Scope "Looks"
    {{
        def Material "Wood"
        {{
            token outputs:surface.connect = </Asset_{i}/Looks/Wood/Surface.outputs:surface>
            def Shader "Surface"
            {{
                uniform token info:id = "UsdPreviewSurface"
                color3f inputs:diffuseColor.connect = </Asset_{i}/Looks/Wood/Texture.outputs:rgb>
                float inputs:roughness = 0.5
                token outputs:surface
            }}
            def Shader "Texture"
            {{
                uniform token info:id = "UsdUVTexture"
                asset inputs:file = @./wood.png@
                float2 inputs:st.connect = </Asset_{i}/Looks/Wood/Reader.outputs:result>
                float3 outputs:rgb
            }}
            def Shader "Reader"
            {{
                uniform token info:id = "UsdPrimvarReader_float2"
                string inputs:varname = "st"
                float2 outputs:result
            }}
        }}
    }}
    variantSet "lod" = {{
        "high" {{
            def Sphere "Detail"
            {{
                double radius = 0.5
            }}
        }}
        "low" {{
            def Cube "Detail"
            {{
                double size = 1
            }}
        }}
    }}
}}
'''
    open(os.path.join(out, f"asset_{i:04d}.usda"), "w").write(text)
open(os.path.join(out, "done"), "w").write(str(count))
PY
fi

# median of numbers on stdin
median() { sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }
now_us() { echo $(( $(date +%s%N) / 1000 )); }

batch_walls=() cat_walls=() rss_max=0
rssfile=$(mktemp)
trap 'rm -f "$rssfile"' EXIT
for ((i = 0; i < reps; i++)); do
  t0=$(now_us); cat "$assets"/*.usda > /dev/null; t1=$(now_us)
  cat_walls+=($((t1 - t0)))
  t0=$(now_us)
  /usr/bin/time -f %M -o "$rssfile" "$checker" -j 2 "$assets" > "$dir/check-report.txt" || true
  t1=$(now_us)
  batch_walls+=($((t1 - t0)))
  rss=$(tail -n 1 "$rssfile")
  [ "$rss" -gt "$rss_max" ] && rss_max=$rss
done
summary=$(grep "files checked" "$dir/check-report.txt" || true)

one="$assets/asset_0000.usda"
one_walls=() one_cat=()
for ((i = 0; i < ${BENCH_REPS_ONE:-20}; i++)); do
  t0=$(now_us); cat "$one" > /dev/null; t1=$(now_us); one_cat+=($((t1 - t0)))
  t0=$(now_us); "$checker" "$one" > /dev/null || true; t1=$(now_us); one_walls+=($((t1 - t0)))
done
/usr/bin/time -f %M -o "$rssfile" "$checker" "$one" > /dev/null || true
one_rss=$(tail -n 1 "$rssfile")

# A prim whose 12 variant sets each add a mesh: every combination is a new
# composition of the prim's subtree.
combos="$dir/variant-combinations.usda"
if [ ! -s "$combos" ]; then
  python3 - "$combos" <<'PY'
import sys
sets = 12
lines = ['#usda 1.0', '(', '    defaultPrim = "Asset"', '    metersPerUnit = 0.01', '    upAxis = "Y"', ')', '',
         'def Xform "Asset" (', '    kind = "component"', '    variants = {']
lines += [f'        string v{k} = "a"' for k in range(sets)]
lines += ['    }', '    prepend variantSets = [' + ', '.join(f'"v{k}"' for k in range(sets)) + ']', ')', '{']
for k in range(sets):
    lines.append(f'    variantSet "v{k}" = {{')
    for choice, size in (("a", 1), ("b", 2)):
        lines += [f'        "{choice}" {{', f'            def Cube "Part_{k}"', '            {',
                  f'                double size = {size}', '            }', '        }']
    lines.append('    }')
lines.append('}')
open(sys.argv[1], "w").write("\n".join(lines) + "\n")
PY
fi
combo_walls=() combo_rss=0
for ((i = 0; i < reps; i++)); do
  t0=$(now_us)
  /usr/bin/time -f %M -o "$rssfile" "$checker" --maxVariantCombinations 0 "$combos" > /dev/null 2>&1 || true
  t1=$(now_us)
  combo_walls+=($((t1 - t0)))
  rss=$(tail -n 1 "$rssfile")
  [ "$rss" -gt "$combo_rss" ] && combo_rss=$rss
done

bw=$(printf '%s\n' "${batch_walls[@]}" | median)
cw=$(printf '%s\n' "${cat_walls[@]}" | median)
ow=$(printf '%s\n' "${one_walls[@]}" | median)
oc=$(printf '%s\n' "${one_cat[@]}" | median)
echo "inputs: $count assets in $assets ($(du -sh "$assets" | cut -f1)); $summary"
echo "machine: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg); medians of $reps (batch) and ${BENCH_REPS_ONE:-20} (one asset) runs"
printf '%-44s %10s %12s\n' "case" "wall s" "peak RSS MB"
printf '%-44s %10.3f %12s\n' "cat of all $count assets" "$(awk -v x="$cw" 'BEGIN{print x/1e6}')" "-"
printf '%-44s %10.3f %12.1f\n' "usdchecker -j 2 (all $count assets)" "$(awk -v x="$bw" 'BEGIN{print x/1e6}')" "$(awk -v x="$rss_max" 'BEGIN{print x/1024}')"
printf '%-44s %10.4f %12s\n' "cat of one asset" "$(awk -v x="$oc" 'BEGIN{print x/1e6}')" "-"
printf '%-44s %10.4f %12.1f\n' "usdchecker one asset (start to exit)" "$(awk -v x="$ow" 'BEGIN{print x/1e6}')" "$(awk -v x="$one_rss" 'BEGIN{print x/1024}')"
vw=$(printf '%s\n' "${combo_walls[@]}" | median)
printf '%-44s %10.3f %12.1f\n' "usdchecker 4,096 variant combinations" "$(awk -v x="$vw" 'BEGIN{print x/1e6}')" "$(awk -v x="$combo_rss" 'BEGIN{print x/1024}')"
awk -v bw="$bw" -v n="$count" 'BEGIN { printf "per asset in the batch: %.2f ms\n", bw / n / 1000 }'
