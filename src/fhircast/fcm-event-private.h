/* fcm-event-private.h: FcmEvent constructors for the fhircast library
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "fcm-event.h"

G_BEGIN_DECLS

FcmEvent      *_fcm_event_new_from_doc (FcmDoc        *doc,
                                        const char    *raw,
                                        GError       **error);

/* context arrays, for readers without an event (Get Current Context) */
const FcmJson *_fcm_context_lookup     (const FcmJson *context,
                                        const char    *key);
char          *_fcm_context_dup_id     (const FcmJson *context,
                                        const char    *key,
                                        const char    *resource_type);

G_END_DECLS
