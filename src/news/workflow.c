/*
 * workflow.c - who may do what to an article, in which state (workflow.h).
 */
#include "news/workflow.h"

#include <string.h>

static const struct {
	const char *name, *label;
} actions[WF__MAX] = {
	[WF_VIEW] = { "view", "보기" },
	[WF_CREATE] = { "create", "작성" },
	[WF_EDIT] = { "edit", "수정" },
	[WF_SUBMIT] = { "submit", "송고" },
	[WF_PUBLISH] = { "publish", "발행" },
	[WF_SCHEDULE] = { "schedule", "예약 발행" },
	[WF_RETURN] = { "return", "반려" },
	[WF_UNPUBLISH] = { "unpublish", "발행 취소" },
	[WF_CORRECT] = { "correct", "정정·반론 등록" },
	[WF_RESTORE] = { "restore", "이전 판 복원" },
	[WF_CURATE] = { "curate", "첫 화면 편집" },
	[WF_SETTINGS] = { "settings", "사이트 설정" },
	[WF_ACCOUNTS] = { "accounts", "계정 관리" },
};

const char *
wf_action_name(enum wf_action a)
{
	return (unsigned)a < WF__MAX ? actions[a].name : "?";
}

const char *
wf_action_label(enum wf_action a)
{
	return (unsigned)a < WF__MAX ? actions[a].label : "?";
}

int
wf_action_parse(const char *s)
{
	int i;

	for (i = 0; s != NULL && i < WF__MAX; i++)
		if (strcmp(s, actions[i].name) == 0)
			return i;
	return -1;
}

int
wf_in_byline(int64_t user_id, const struct article *a)
{
	int i;

	for (i = 0; a != NULL && i < a->nbylines; i++)
		if (a->bylines[i].id == user_id)
			return 1;
	return 0;
}

int
wf_is_desk(enum person_role role)
{
	return role == ROLE_EDITOR || role == ROLE_ADMIN;
}

enum wf_result
wf_check(enum person_role role, int64_t user_id, enum wf_action act, const struct article *a)
{
	enum article_status s;

	if (role != ROLE_REPORTER && !wf_is_desk(role))
		return WF_FORBIDDEN;    /* contributors never log in */
	switch (act) {
	case WF_CREATE:
		return WF_OK;
	case WF_CURATE:
		return wf_is_desk(role) ? WF_OK : WF_FORBIDDEN;
	case WF_SETTINGS:
	case WF_ACCOUNTS:
		return role == ROLE_ADMIN ? WF_OK : WF_FORBIDDEN;
	default:
		break;
	}
	if (a == NULL)
		return WF_FORBIDDEN;
	s = a->status;
	switch (act) {
	case WF_VIEW:
		return wf_is_desk(role) || wf_in_byline(user_id, a) ? WF_OK : WF_FORBIDDEN;
	case WF_EDIT:
	case WF_RESTORE:
		if (wf_is_desk(role))
			return WF_OK;
		if (!wf_in_byline(user_id, a))
			return WF_FORBIDDEN;
		/* Once the desk has it scheduled or out, changes go through the
		 * desk. */
		return s == ARTICLE_DRAFT || s == ARTICLE_SUBMITTED ? WF_OK : WF_FORBIDDEN;
	case WF_SUBMIT:
		if (!wf_is_desk(role) && !wf_in_byline(user_id, a))
			return WF_FORBIDDEN;
		return s == ARTICLE_DRAFT ? WF_OK : WF_BAD_STATE;
	case WF_PUBLISH:
	case WF_SCHEDULE:
		if (!wf_is_desk(role))
			return WF_FORBIDDEN;
		return s == ARTICLE_PUBLISHED ? WF_BAD_STATE : WF_OK;
	case WF_RETURN:
		if (!wf_is_desk(role))
			return WF_FORBIDDEN;
		return s == ARTICLE_SUBMITTED || s == ARTICLE_SCHEDULED ? WF_OK : WF_BAD_STATE;
	case WF_UNPUBLISH:
		if (!wf_is_desk(role))
			return WF_FORBIDDEN;
		return s == ARTICLE_PUBLISHED || s == ARTICLE_SCHEDULED ? WF_OK : WF_BAD_STATE;
	case WF_CORRECT:
		if (!wf_is_desk(role))
			return WF_FORBIDDEN;
		return a->published_at != 0 ? WF_OK : WF_BAD_STATE;
	default:
		return WF_FORBIDDEN;
	}
}
