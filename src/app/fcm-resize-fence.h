/* fcm-resize-fence.h: a bin whose size request changes only when its
 * child's does, measured when the child is laid out
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define FCM_TYPE_RESIZE_FENCE (fcm_resize_fence_get_type ())
G_DECLARE_FINAL_TYPE (FcmResizeFence, fcm_resize_fence, FCM, RESIZE_FENCE, GtkWidget)

GtkWidget *fcm_resize_fence_new        (void);
void       fcm_resize_fence_set_child  (FcmResizeFence *self,
                                        GtkWidget      *child);
GtkWidget *fcm_resize_fence_get_child  (FcmResizeFence *self);

/* for tests: how many times the child was measured */
guint      _fcm_resize_fence_get_n_child_measures (FcmResizeFence *self);

G_END_DECLS
