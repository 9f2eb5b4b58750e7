/* fcm-doc-private.h: what fcm-doc.c and fcm-doc-read.c share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <cjson/cJSON.h>

#include "fcm-doc.h"

G_BEGIN_DECLS

/* FcmJson is cJSON's node, seen read-only. */
#define CJ(value)   ((const cJSON *) (value))
#define VALUE(node) ((const FcmJson *) (node))
#define KIND(node)  ((node)->type & 0xFF)

G_END_DECLS
