#!/bin/sh
# Validate deploy/nginx/cpims.conf with `nginx -t` in a scratch directory (no root, no ports
# opened): a throwaway self-signed certificate stands in for the real one.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
NGINX=${NGINX:-nginx}
command -v "$NGINX" >/dev/null 2>&1 || { echo "nginx not installed: skipped"; exit 77; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=cpims.test \
  -keyout "$tmp/privkey.pem" -out "$tmp/fullchain.pem" >/dev/null 2>&1
sed -e "s#/etc/ssl/cpims/#$tmp/#g" -e "s#/srv/cpims/var/static/#$tmp/static/#g" \
  "$here/nginx/cpims.conf" > "$tmp/cpims.conf"
mime=/etc/nginx/mime.types
[ -f "$mime" ] || : > "$tmp/mime.types" && [ -f "$mime" ] || mime="$tmp/mime.types"
cat > "$tmp/nginx.conf" <<CONF
pid $tmp/nginx.pid;
error_log $tmp/error.log;
events {}
http {
    include $mime;
    access_log off;
    client_body_temp_path $tmp/body;
    proxy_temp_path $tmp/proxy;
    include $tmp/cpims.conf;
}
CONF
"$NGINX" -t -q -c "$tmp/nginx.conf" -g "daemon off;"
echo "nginx config OK ($("$NGINX" -v 2>&1))"
