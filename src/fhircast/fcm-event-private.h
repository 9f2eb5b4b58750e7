/* fcm-event-private.h: FcmEvent constructors for the fhircast library
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "fcm-event.h"

G_BEGIN_DECLS

FcmEvent *_fcm_event_new_from_doc (FcmDoc      *doc,
                                   const char  *raw,
                                   GError     **error);

G_END_DECLS
