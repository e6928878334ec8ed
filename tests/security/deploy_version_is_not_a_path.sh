#!/usr/bin/env bash
# deploy(..., version: V) names the release folder by V: a V that is not a version (`../../victim`) is
# refused before anything of the deploy is done, and the folder it leads to is left alone.
source "$(dirname "$0")/lib/common.sh"

box=$work/box
mkdir -p "$box/repo" "$box/victim"
echo precious >"$box/victim/data"
cd "$box/repo"
cat >pipeline.chain <<'EOF'
pipeline "d" kind deployment
param ver: str = "1.0.0"
stage make {
  sh("mkdir -p site && echo hello > site/index.html")
  artifact site = dir("site")
}
stage ship {
  deploy(make.site, to: local("../deploy"), version: ver)
}
EOF
git init -q -b main
git add -A
git -c user.name=chain -c user.email=chain@localhost commit -q -m initial

status=0
"$chain" run -p ver=../../victim >"$work/attack.out" 2>&1 || status=$?
[ "$status" -eq 1 ] || { cat "$work/attack.out"; fail "exit $status, expected 1"; }
[ "$(cat "$box/victim/data" 2>/dev/null)" = precious ] || fail "the deploy replaced $box/victim"
[ ! -e "$box/deploy" ] || fail "the refused deploy made $box/deploy: $(find "$box/deploy")"
grep -qF "'../../victim' is not a release name" "$work/attack.out" ||
  { cat "$work/attack.out"; fail "no error naming the release"; }

# A version is a release name: the same pipeline deploys 1.0.0+local~1 and switches to it.
"$chain" run -p ver=1.0.0+local~1 >"$work/good.out" 2>&1 || { cat "$work/good.out"; fail "a good version was refused"; }
[ "$(readlink "$box/deploy/current")" = "releases/1.0.0+local~1" ] || fail "current: $(readlink "$box/deploy/current")"
[ "$(cat "$box/deploy/current/index.html")" = hello ] || fail "the release's contents"
echo "ok: '../../victim' refused, $box/victim intact, a real version deployed"
