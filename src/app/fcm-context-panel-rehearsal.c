/* fcm-context-panel-rehearsal.c: the report page laid out once, unseen,
 * when the panel is first shown
 *
 * The frame that first showed a report was the longest of a stream (issue
 * 15.1: 23-60 ms of layout under load, against 1-5 ms for a report shown
 * after that one): the page's labels were styled and shaped for the first
 * time, so their fonts (the headline's large type, the identifiers'
 * monospace, the headings) were matched and loaded, HarfBuzz built its
 * tables for each face and FreeType hinted every glyph it measured.
 * Measuring the page while it is hidden does not do that work: a label
 * that was never mapped is not styled, and shapes with the default font.
 *
 * So when the panel is mapped for the first time and shows no report, its
 * report page is shown in that frame at opacity 0 (laid out, not drawn),
 * every label holding a sample of the letters, digits and signs a report
 * shows; once the frame is painted, everything is put back as it was. The
 * window's first frame includes it: the panel is blank in that one frame
 * and no frame after it differs from what it would have shown. An apply
 * (the store changed) ends the rehearsal first.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "FcmContextPanel"

#include "config.h"

#include "fcm-context-panel-internal.h"

/* every label's text while rehearsing: the glyphs a report's texts use, in
 * short words (a wrapping label is as wide as its longest word at least,
 * and a window that grew for the rehearsal would not shrink back) */
#define SAMPLE "ABCDE FGHIJ KLMNO PQRST UVWXYZ abcde fghij klmno pqrst uvwxyz 01234 56789 .,:;-/ ()'\"#*+_ · —"

enum {
  PART_HEADLINE,
  PART_NO_CURRENT,
  PART_CURRENT_GROUP,
  PART_SUSPENDED_GROUP,
  PART_SUSPENDED_BUTTON,
  N_PARTS
};

struct _FcmContextPanelRehearsal
{
  GdkFrameClock *clock;
  gulong         after_paint_id;
  char          *page;
  double         opacity;
  gboolean       can_focus;
  gboolean       can_target;
  gboolean       visible[N_PARTS];
  char          *lines[FCM_CONTEXT_N_LINES];
  char          *values[FCM_CONTEXT_N_FIELDS];
  gboolean       monospace_added[FCM_CONTEXT_N_FIELDS];
};

/* and for a label that is as wide as its text (neither wraps nor is cut short) */
#define SHORT_SAMPLE "Prelim 0123"

static const char *
sample_for (GtkLabel *label)
{
  if (gtk_label_get_wrap (label) || gtk_label_get_ellipsize (label) != PANGO_ELLIPSIZE_NONE)
    return SAMPLE;
  return SHORT_SAMPLE;
}

static GtkWidget *
part (FcmContextPanel *self,
      guint            i)
{
  switch (i)
    {
    case PART_HEADLINE:
      return self->headline;
    case PART_NO_CURRENT:
      return self->no_current_label;
    case PART_CURRENT_GROUP:
      return GTK_WIDGET (self->current_group);
    case PART_SUSPENDED_GROUP:
      return GTK_WIDGET (self->suspended_group);
    case PART_SUSPENDED_BUTTON:
      return self->suspended_button;
    default:
      g_assert_not_reached ();
    }
}

static void
rehearsal_painted_cb (GdkFrameClock   *clock,
                      FcmContextPanel *self)
{
  _fcm_context_panel_end_rehearsal (self);
}

void
_fcm_context_panel_rehearse (FcmContextPanel *self)
{
  FcmContextPanelRehearsal *r;
  GdkFrameClock *clock = gtk_widget_get_frame_clock (GTK_WIDGET (self));

  if (self->rehearsed || clock == NULL)
    return;
  self->rehearsed = TRUE;
  /* a report shown at once needs no rehearsal; nor does a panel whose
   * changes wait for its first frame (they will show what they show) */
  if (g_strcmp0 (gtk_stack_get_visible_child_name (self->stack), "report") == 0 || self->tick_id != 0)
    return;

  r = g_new0 (FcmContextPanelRehearsal, 1);
  r->clock = g_object_ref (clock);
  r->page = g_strdup (gtk_stack_get_visible_child_name (self->stack));
  r->opacity = gtk_widget_get_opacity (GTK_WIDGET (self->stack));
  for (guint i = 0; i < N_PARTS; i++)
    {
      r->visible[i] = gtk_widget_get_visible (part (self, i));
      gtk_widget_set_visible (part (self, i), TRUE);
    }
  for (guint i = 0; i < FCM_CONTEXT_N_LINES; i++)
    {
      r->lines[i] = g_strdup (gtk_label_get_text (self->lines[i]));
      gtk_label_set_text (self->lines[i], sample_for (self->lines[i]));
    }
  for (guint i = 0; i < FCM_CONTEXT_N_FIELDS; i++)
    {
      GtkWidget *value = GTK_WIDGET (self->values[i]);

      if (value == NULL)
        continue;
      r->values[i] = g_strdup (gtk_label_get_text (self->values[i]));
      gtk_label_set_text (self->values[i], sample_for (self->values[i]));
      if (_fcm_context_fields[i].monospace && !gtk_widget_has_css_class (value, "monospace"))
        {
          gtk_widget_add_css_class (value, "monospace");
          r->monospace_added[i] = TRUE;
        }
    }
  /* unseen, and out of reach: nothing in it takes the window's first focus or a click */
  r->can_focus = gtk_widget_get_can_focus (GTK_WIDGET (self->stack));
  r->can_target = gtk_widget_get_can_target (GTK_WIDGET (self->stack));
  gtk_widget_set_can_focus (GTK_WIDGET (self->stack), FALSE);
  gtk_widget_set_can_target (GTK_WIDGET (self->stack), FALSE);
  gtk_widget_set_opacity (GTK_WIDGET (self->stack), 0.0);
  gtk_stack_set_visible_child_full (self->stack, "report", GTK_STACK_TRANSITION_TYPE_NONE);
  r->after_paint_id = g_signal_connect (clock, "after-paint", G_CALLBACK (rehearsal_painted_cb), self);
  self->rehearsal = r;
  g_debug ("rehearsing the report page in the first frame");
}

void
_fcm_context_panel_end_rehearsal (FcmContextPanel *self)
{
  FcmContextPanelRehearsal *r = g_steal_pointer (&self->rehearsal);

  if (r == NULL)
    return;
  g_clear_signal_handler (&r->after_paint_id, r->clock);
  g_clear_object (&r->clock);
  /* 0 if the page was not laid out (an apply came first) */
  self->rehearsed_width = gtk_widget_get_width (GTK_WIDGET (self->lines[FCM_CONTEXT_LINE_PATIENT]));
  g_debug ("rehearsal over, the patient's name was %d px wide", self->rehearsed_width);

  if (r->page != NULL)
    gtk_stack_set_visible_child_full (self->stack, r->page, GTK_STACK_TRANSITION_TYPE_NONE);
  gtk_widget_set_opacity (GTK_WIDGET (self->stack), r->opacity);
  gtk_widget_set_can_focus (GTK_WIDGET (self->stack), r->can_focus);
  gtk_widget_set_can_target (GTK_WIDGET (self->stack), r->can_target);
  for (guint i = 0; i < N_PARTS; i++)
    gtk_widget_set_visible (part (self, i), r->visible[i]);
  for (guint i = 0; i < FCM_CONTEXT_N_LINES; i++)
    {
      gtk_label_set_text (self->lines[i], r->lines[i]);
      g_free (r->lines[i]);
    }
  for (guint i = 0; i < FCM_CONTEXT_N_FIELDS; i++)
    {
      if (self->values[i] == NULL)
        continue;
      gtk_label_set_text (self->values[i], r->values[i]);
      g_free (r->values[i]);
      if (r->monospace_added[i])
        gtk_widget_remove_css_class (GTK_WIDGET (self->values[i]), "monospace");
    }
  g_free (r->page);
  g_free (r);
}

/* the page the panel shows: while rehearsing, the one it will show again */
const char *
_fcm_context_panel_rehearsal_page (FcmContextPanel *self)
{
  return self->rehearsal != NULL ? self->rehearsal->page : gtk_stack_get_visible_child_name (self->stack);
}
