/* test-resize-fence.c: FcmResizeFence (issue 15.1) in a real window
 *
 * A text changing inside the fence is measured when the window lays out,
 * not when GDK asks the window for its size between frames; a change of
 * the child's size still reaches the window, a frame later.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <adwaita.h>

#include "fcm-resize-fence.h"
#include "fcm-gtk-test-util.h"
#include "fcm-test-util.h"

typedef struct
{
  GtkWindow      *window;
  FcmResizeFence *fence;
  GtkLabel       *label;         /* in the fence */
  GtkLabel       *outside;       /* beside it */
  guint           computed;      /* the toplevel's compute-size so far */
  guint           measured_in_compute; /* ... that measured the fence's child */
  guint           measures_before;
  gulong          hook_id;
} Fixture;

/* before GtkWindow's handler of compute-size (it measures the window) */
static gboolean
compute_size_hook (GSignalInvocationHint *hint,
                   guint                  n_values,
                   const GValue          *values,
                   gpointer               data)
{
  Fixture *f = data;

  if (g_value_get_object (&values[0]) == gtk_native_get_surface (GTK_NATIVE (f->window)))
    f->measures_before = _fcm_resize_fence_get_n_child_measures (f->fence);
  return TRUE;
}

/* after it */
static void
compute_size_cb (GdkToplevel *toplevel,
                 gpointer     size,
                 Fixture     *f)
{
  f->computed++;
  if (_fcm_resize_fence_get_n_child_measures (f->fence) != f->measures_before)
    f->measured_in_compute++;
}

static void
wait_frames (Fixture *f,
             guint    n)
{
  fcm_test_wait_frames (GTK_WIDGET (f->window), n);
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *inner = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);

  f->window = GTK_WINDOW (gtk_window_new ());
  gtk_window_set_default_size (f->window, 400, 200);
  f->fence = FCM_RESIZE_FENCE (fcm_resize_fence_new ());
  f->label = GTK_LABEL (gtk_label_new ("Doe, Jane"));
  gtk_label_set_wrap (f->label, TRUE);
  gtk_box_append (GTK_BOX (inner), GTK_WIDGET (f->label));
  gtk_box_append (GTK_BOX (inner), gtk_label_new ("MRN M-1"));
  fcm_resize_fence_set_child (f->fence, inner);
  f->outside = GTK_LABEL (gtk_label_new ("beside"));
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (f->fence));
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (f->outside));
  gtk_window_set_child (f->window, box);
  gtk_window_present (f->window);
  gtk_test_widget_wait_for_draw (GTK_WIDGET (f->window));
  f->hook_id = g_signal_add_emission_hook (g_signal_lookup ("compute-size", GDK_TYPE_TOPLEVEL), 0,
                                           compute_size_hook, f, NULL);
  g_signal_connect_after (gtk_native_get_surface (GTK_NATIVE (f->window)), "compute-size",
                          G_CALLBACK (compute_size_cb), f);
  wait_frames (f, 2);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_signal_remove_emission_hook (g_signal_lookup ("compute-size", GDK_TYPE_TOPLEVEL), f->hook_id);
  gtk_window_destroy (f->window);
}

/* a new text inside: GDK's compute-size (the window measuring itself for
 * its minimum size) stops at the fence; the frame lays the text out */
static void
test_fence_text (Fixture       *f,
                 gconstpointer  data)
{
  guint before = _fcm_resize_fence_get_n_child_measures (f->fence);

  f->computed = f->measured_in_compute = 0;
  for (guint i = 0; i < 5; i++)
    {
      g_autofree char *name = g_strdup_printf ("Patient %u, Someone With A Name", i);
      guint computed = f->computed;

      gtk_label_set_text (f->label, name);
      FCM_TEST_WAIT_UNTIL (f->computed > computed);
      wait_frames (f, 1);
      /* the frame measured it, as a bin does before laying out */
      g_assert_cmpuint (_fcm_resize_fence_get_n_child_measures (f->fence), >, before);
      before = _fcm_resize_fence_get_n_child_measures (f->fence);
      g_assert_cmpstr (gtk_label_get_text (f->label), ==, name);
    }
  /* the window measured itself without measuring the fence's child */
  g_assert_cmpuint (f->computed, >=, 5);
  g_assert_cmpuint (f->measured_in_compute, ==, 0);
  g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (f->label)), >, 0);

  /* the control: outside the fence, the window measures what changed */
  gtk_label_set_text (f->outside, "beside, and longer now");
  {
    guint computed = f->computed;
    int min;

    FCM_TEST_WAIT_UNTIL (f->computed > computed);
    wait_frames (f, 1);
    gtk_widget_measure (GTK_WIDGET (f->outside), GTK_ORIENTATION_HORIZONTAL, -1, &min, NULL, NULL, NULL);
    g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (f->outside)), >=, min);
  }
}

/* the child needs more room: the window hears of it, a frame later */
static void
test_fence_grows (Fixture       *f,
                  gconstpointer  data)
{
  int min, fence_min;

  gtk_widget_set_size_request (GTK_WIDGET (f->label), 900, -1);
  wait_frames (f, 4);
  gtk_widget_measure (fcm_resize_fence_get_child (f->fence), GTK_ORIENTATION_HORIZONTAL, -1, &min, NULL, NULL, NULL);
  gtk_widget_measure (GTK_WIDGET (f->fence), GTK_ORIENTATION_HORIZONTAL, -1, &fence_min, NULL, NULL, NULL);
  g_assert_cmpint (min, >=, 900);
  g_assert_cmpint (fence_min, ==, min);
  g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (f->fence)), >=, 900);
  g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (f->window)), >=, 900);

  /* and less room again */
  gtk_widget_set_size_request (GTK_WIDGET (f->label), -1, -1);
  wait_frames (f, 4);
  gtk_widget_measure (GTK_WIDGET (f->fence), GTK_ORIENTATION_HORIZONTAL, -1, &fence_min, NULL, NULL, NULL);
  g_assert_cmpint (fence_min, <, 900);
}

/* no child, another child */
static void
test_fence_child (Fixture       *f,
                  gconstpointer  data)
{
  GtkWidget *label = gtk_label_new ("another");
  int min;

  fcm_resize_fence_set_child (f->fence, NULL);
  g_assert_null (fcm_resize_fence_get_child (f->fence));
  gtk_widget_measure (GTK_WIDGET (f->fence), GTK_ORIENTATION_HORIZONTAL, -1, &min, NULL, NULL, NULL);
  g_assert_cmpint (min, ==, 0);
  wait_frames (f, 1);
  fcm_resize_fence_set_child (f->fence, label);
  g_assert_true (gtk_widget_get_parent (label) == GTK_WIDGET (f->fence));
  wait_frames (f, 1);
  g_assert_true (gtk_widget_get_mapped (label));
  g_assert_cmpint (gtk_widget_get_width (label), >, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  fcm_gtk_test_set_fatal_handler ();
  if (!gtk_init_check ())
    {
      g_printerr ("No display; skipping\n");
      return 77;
    }
  adw_init ();
  g_test_add ("/resize-fence/text", Fixture, NULL, fixture_setup, test_fence_text, fixture_teardown);
  g_test_add ("/resize-fence/grows", Fixture, NULL, fixture_setup, test_fence_grows, fixture_teardown);
  g_test_add ("/resize-fence/child", Fixture, NULL, fixture_setup, test_fence_child, fixture_teardown);
  return g_test_run ();
}
