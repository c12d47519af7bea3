/*
 * The built browser UI (web/dist), embedded in the binary by tools/embed_assets.cmake: one entry
 * per file of web/dist/manifest.json. Static data, for `caremap serve` to hand to the server as
 * cm_http_config.assets. The table lives in its own library (caremap_web), linked into the
 * caremap executable only, so unit tests build without a built UI.
 */
#ifndef CM_WEB_ASSETS_H
#define CM_WEB_ASSETS_H

#include "http/http.h"

#include <stddef.h>

extern const struct cm_http_asset cm_web_assets[];
extern const size_t cm_web_assets_count;

#endif
