/*
 * workflow.h - the desk's rules: who may do what to an article, in which
 * state.  The newsroom pages and the JSON API both ask here, so a request
 * crafted by hand meets the same rules as a button.
 *
 *   reporter  creates drafts; edits and submits articles they are in the
 *             byline of while those are drafts or submitted
 *   editor    (데스크) everything on articles: edit, publish now,
 *             schedule, return with a note, unpublish, correct, restore a
 *             revision, curate the front page
 *   admin     what an editor may, and site settings and accounts
 */
#ifndef SINMUN_NEWS_WORKFLOW_H
#define SINMUN_NEWS_WORKFLOW_H

#include <stdint.h>

#include "store/store.h"

enum wf_action {
	WF_VIEW,        /* open in the newsroom */
	WF_CREATE,      /* a new draft */
	WF_EDIT,        /* save content */
	WF_SUBMIT,      /* to the desk */
	WF_PUBLISH,     /* now */
	WF_SCHEDULE,    /* at a time */
	WF_RETURN,      /* back to the reporter, with a note */
	WF_UNPUBLISH,
	WF_CORRECT,     /* add a correction record */
	WF_RESTORE,     /* restore a revision */
	WF_CURATE,      /* front page: top story, featured order */
	WF_SETTINGS,    /* site settings, sections, weather stations */
	WF_ACCOUNTS,    /* other people's accounts and tokens */
	WF__MAX
};

enum wf_result {
	WF_OK = 0,
	WF_FORBIDDEN,   /* the role may not: 403 */
	WF_BAD_STATE,   /* not in this status: 409 */
};

/* "publish", "return", ... (for the audit log and the API's URLs). */
const char *wf_action_name(enum wf_action);
/* -1 when unknown. */
int wf_action_parse(const char *);
/* Korean: "발행", "반려", ... */
const char *wf_action_label(enum wf_action);

/* Whether user (id, role) may take action on article a (NULL for the
 * actions that concern no article: create, curate, settings, accounts). */
enum wf_result wf_check(enum person_role role, int64_t user_id, enum wf_action, const struct article *a);

/* Whether the role is the desk's (editor or admin). */
int wf_is_desk(enum person_role role);

/* Whether the user is in a's byline. */
int wf_in_byline(int64_t user_id, const struct article *a);

#endif
