/* fcm-timeline-private.h: internals of the timeline shared with its details
 * pane, the tests and the benchmark
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "fcm-event-details.h"
#include "fcm-timeline.h"

G_BEGIN_DECLS

/* the Event column and the details title: the event name, or the kind */
const char      *_fcm_entry_title                 (FcmEventLogEntry     *entry);
/* the Validation pill: "✓", "2 warnings", "1 error" and its css class */
char            *_fcm_entry_badge                 (FcmEventLogEntry     *entry,
                                                   const char          **css_class);

/* for tests */
GtkColumnView   *_fcm_timeline_get_column_view    (FcmTimeline          *self);
GListModel      *_fcm_timeline_get_model          (FcmTimeline          *self);
GtkDropDown     *_fcm_timeline_get_type_filter    (FcmTimeline          *self);
GtkEditable     *_fcm_timeline_get_search_entry   (FcmTimeline          *self);
FcmEventDetails *_fcm_timeline_get_details        (FcmTimeline          *self);
GtkAdjustment   *_fcm_timeline_get_vadjustment    (FcmTimeline          *self);
gboolean         _fcm_timeline_get_following      (FcmTimeline          *self);
void             _fcm_timeline_select             (FcmTimeline          *self,
                                                   guint                 position);
void             _fcm_timeline_scroll_to_end      (FcmTimeline          *self);
void             _fcm_timeline_export_to_file     (FcmTimeline          *self,
                                                   GFile                *file,
                                                   GCancellable         *cancellable,
                                                   GAsyncReadyCallback   callback,
                                                   gpointer              user_data);
gboolean         _fcm_timeline_export_finish      (FcmTimeline          *self,
                                                   GAsyncResult         *result,
                                                   GError              **error);

G_END_DECLS
