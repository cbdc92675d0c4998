/* texts_known: every text refbot sends and what fills it in. */
#include "config.h"

#include "texts_int.h"
#include "util.h"

/* What the placeholders of these texts are filled with: the callers'. */
#define REFERRAL_VARS "ref client partner_name partner_email fields " \
    "problems reasons blank_lines sla_hours due marker"
#define STAFF_REFERRAL_VARS "ref client partner_name partner_email " \
    "fields reasons due keywords attachments marker"
#define DUPLICATE_VARS "ref client partner_name partner_email first_ref " \
    "first_date first_partner same_partner fields marker"
#define SLA_VARS "ref client partner_name sla_hours age_hours marker"
#define UNKNOWN_VARS "subject sender text"
#define STALL_VARS "ref client partner_name status stall_days age_days " \
    "keywords marker"
#define KIT_VARS "partner_name sla_hours"
/* survey.c: a survey, its one reminder and its one "please answer". */
#define SURVEY_VARS "name partner_name ref year questions answer_lines " \
    "marker"
#define PARTNER_MESSAGE_VARS "partner_name partner_email sender subject " \
    "context attachments text"

/*
 * Every text refbot sends, with the placeholders its senders fill in (a
 * mail or kit text may use COMMON_VARS too) and, for a phrase file, the
 * keys looked up in it.  ja: 0 English only, 1 Japanese optional
 * (English stands in), 2 Japanese required (every text to staff: each
 * person reads their own language, staff.h).
 */
const struct known known[] = {
	{ "mail/reasons", LINES, REASONS, 2, "arg", "missing email phone "
	    "yesno date money enum pattern too_long score" },
	{ "mail/ack", MAIL, MAILTEXTS, 1, REFERRAL_VARS, NULL },
	{ "mail/incomplete", MAIL, MAILTEXTS, 1, REFERRAL_VARS, NULL },
	{ "mail/disqualified", MAIL, MAILTEXTS, 1, REFERRAL_VARS, NULL },
	{ "mail/not-partner", MAIL, MAILTEXTS, 1, UNKNOWN_VARS, NULL },
	{ "mail/duplicate", MAIL, MAILTEXTS, 1, DUPLICATE_VARS, NULL },
	{ "mail/progress", MAIL, MAILTEXTS, 1, "ref client partner_name "
	    "headline status_word commission relay marker", NULL },
	/* replies.c: a commission reversed (REOPEN) or corrected (AMEND). */
	{ "mail/commission-change", MAIL, MAILTEXTS, 2, "ref client "
	    "partner_name headline status_word commission relay marker",
	    NULL },
	{ "mail/status", MAIL, MAILTEXTS, 1, "ref client partner_name status "
	    "history marker", NULL },
	{ "mail/status-all", MAIL, MAILTEXTS, 2, "partner_name count "
	    "referrals earned paid balance marker", NULL },
	{ "mail/survey-partner", MAIL, MAILTEXTS, 1, SURVEY_VARS, NULL },
	{ "mail/survey-client", MAIL, MAILTEXTS, 1, SURVEY_VARS, NULL },
	{ "mail/survey-reminder", MAIL, MAILTEXTS, 1, SURVEY_VARS, NULL },
	{ "mail/survey-missing", MAIL, MAILTEXTS, 1, SURVEY_VARS " problems",
	    NULL },
	{ "mail/statement", MAIL, MAILTEXTS, 1, "partner_name quarter period "
	    "referrals revenue earned paid balance both_ways", NULL },
	{ "mail/unreadable", MAIL, MAILTEXTS, 1, "partner_name reason subject "
	    "date", NULL },
	{ "mail/welcome", MAIL, MAILTEXTS, 1, KIT_VARS " overview "
	    "introduction", NULL },
	{ "mail/form-reply", MAIL, MAILTEXTS, 1, KIT_VARS " subject", NULL },
	{ "mail/too-large", MAIL, MAILTEXTS, 1, "partner_name limit size",
	    NULL },
	{ "mail/staff-alert", MAIL, MAILTEXTS, 2, "what message row reason "
	    "folder sender", NULL },
	{ "mail/staff-new", MAIL, MAILTEXTS, 2, STAFF_REFERRAL_VARS, NULL },
	{ "mail/staff-disqualified", MAIL, MAILTEXTS, 2, STAFF_REFERRAL_VARS,
	    NULL },
	{ "mail/staff-duplicate", MAIL, MAILTEXTS, 2, DUPLICATE_VARS
	    " attachments", NULL },
	{ "mail/staff-error", MAIL, MAILTEXTS, 2, "ref client problem error "
	    "status allowed marker", NULL },
	/* intake_forward.c: a partner's mail staff forwarded, to confirm. */
	{ "mail/staff-forward-preview", MAIL, MAILTEXTS, 2, "draft "
	    "partner_name partner_email sender subject outcome fields problems "
	    "reasons marker", NULL },
	/* intake_given.c: a staff member's GIVEN mail, to confirm. */
	{ "mail/staff-given-preview", MAIL, MAILTEXTS, 2, "draft partner_name "
	    "partner_email client contact note marker", NULL },
	{ "mail/staff-given-problem", MAIL, MAILTEXTS, 2, "partner problem "
	    "marker", NULL },
	{ "mail/staff-forward-not-partner", MAIL, MAILTEXTS, 2, "sender "
	    "subject marker", NULL },
	{ "mail/staff-forward", MAIL, MAILTEXTS, 2, "ref client partner_name "
	    "partner_email status text marker", NULL },
	{ "mail/staff-unknown", MAIL, MAILTEXTS, 2, UNKNOWN_VARS, NULL },
	{ "mail/staff-unverified", MAIL, MAILTEXTS, 2, "ref reason message",
	    NULL },
	{ "mail/sla-reminder", MAIL, MAILTEXTS, 2, SLA_VARS, NULL },
	{ "mail/sla-escalation", MAIL, MAILTEXTS, 2, SLA_VARS, NULL },
	{ "mail/newsletter", MAIL, MAILTEXTS, 1, "partner_name month "
	    "month_name profile year sent_year open won_year earned paid "
	    "balance open_list thanks", NULL },
	{ "mail/newsletter-unsubscribed", MAIL, MAILTEXTS, 1, "partner_name "
	    "partner_email", NULL },
	/* newsletter_inbound.c: one copy stopped; nothing to stop. */
	{ "mail/newsletter-unsubscribed-contact", MAIL, MAILTEXTS, 1,
	    "partner_name partner_email", NULL },
	{ "mail/newsletter-no-copy", MAIL, MAILTEXTS, 1, "partner_name "
	    "partner_email", NULL },
	{ "mail/newsletter-already-stopped", MAIL, MAILTEXTS, 1,
	    "partner_name partner_email", NULL },
	{ "mail/staff-newsletter-profile", MAIL, MAILTEXTS, 2, "month lang "
	    "state confirm send_date partners preview marker", NULL },
	{ "mail/staff-newsletter-reminder", MAIL, MAILTEXTS, 2, "month "
	    "send_date marker", NULL },
	{ "mail/staff-newsletter-reply", MAIL, MAILTEXTS, 2, "partner_name "
	    "partner_email sender subject text", NULL },
	{ "mail/staff-newsletter-halted", MAIL, MAILTEXTS, 2, "month failures "
	    "error left", NULL },
	{ "mail/staff-newsletter-unconfirmed", MAIL, MAILTEXTS, 2, "month "
	    "reason marker", NULL },
	{ "mail/confirm-correction", MAIL, MAILTEXTS, 1, "ref client "
	    "partner_name changes", NULL },
	{ "mail/confirm-unsubscribe", MAIL, MAILTEXTS, 1, "partner_name "
	    "partner_email", NULL },
	/* A contact's own copy only (newsletter_inbound.c). */
	{ "mail/confirm-unsubscribe-contact", MAIL, MAILTEXTS, 1,
	    "partner_name partner_email", NULL },
	{ "mail/staff-alert-summary", MAIL, MAILTEXTS, 2, "kind count sent "
	    "from to first last dispositions messages", NULL },
	{ "mail/staff-undelivered", MAIL, MAILTEXTS, 2, "kind ref outbox rcpt "
	    "error consequence", NULL },
	/* intake_answer.c, intake_referral.c: nothing a person sends is lost. */
	{ "mail/partner-message", MAIL, MAILTEXTS, 1, PARTNER_MESSAGE_VARS,
	    NULL },
	{ "mail/staff-partner-message", MAIL, MAILTEXTS, 2,
	    PARTNER_MESSAGE_VARS, NULL },
	/* intake_survey.c: the words in a survey answer beside the answers. */
	{ "mail/staff-survey-message", MAIL, MAILTEXTS, 2, "partner_name "
	    "sender subject survey period text", NULL },
	{ "mail/staff-enquiry", MAIL, MAILTEXTS, 2, "sender subject message "
	    "text", NULL },
	/* assign.c, stall.c, digest.c: owners, stalls, the partner's note. */
	{ "mail/staff-assigned", MAIL, MAILTEXTS, 2, "ref client partner_name "
	    "status by previous note history keywords marker", NULL },
	{ "mail/staff-stalled", MAIL, MAILTEXTS, 2, STALL_VARS, NULL },
	{ "mail/staff-stall-escalation", MAIL, MAILTEXTS, 2, STALL_VARS,
	    NULL },
	{ "mail/staff-digest", MAIL, MAILTEXTS, 2, "name date count overdue "
	    "due_today stalled open", NULL },
	/* review.c, health.c: the quarterly review pack and its points. */
	{ "mail/staff-review", MAIL, MAILTEXTS, 2, "partner_name partner_id "
	    "quarter period points received outcomes given given_won "
	    "given_lost conversion revenue earned paid median breaches "
	    "sla_hours surveys comments stalled", NULL },
	{ "mail/talking-points", LINES, MAILTEXTS, 2, "partner_name received "
	    "given count conversion reason now before sla_hours",
	    "reciprocity reciprocity.when quiet quiet.when disqualified "
	    "disqualified.when conversion conversion.when conversion.min sla "
	    "sla.when stalled stalled.when satisfaction_fell "
	    "satisfaction_fell.when satisfaction_low satisfaction_low.when" },
	{ "mail/progress-note", MAIL, MAILTEXTS, 2, "ref client partner_name "
	    "age_days marker", NULL },
	{ "mail/staff-corrected", MAIL, MAILTEXTS, 2, "ref client partner_name "
	    "partner_email sender from_status status duplicate changes fields "
	    "marker", NULL },
	/* meeting.c: the calendar invitation to staff, and its cancelling. */
	{ "mail/meeting-invite", MAIL, MAILTEXTS, 2, "ref client partner_name "
	    "when marker", NULL },
	{ "mail/meeting-cancel", MAIL, MAILTEXTS, 2, "ref client partner_name "
	    "when marker", NULL },
	/* intake_rsvp.c: the invitee declined, or proposed another time. */
	{ "mail/staff-meeting-declined", MAIL, MAILTEXTS, 2, "ref client "
	    "partner_name who when keywords marker", NULL },
	{ "mail/staff-meeting-counter", MAIL, MAILTEXTS, 2, "ref client "
	    "partner_name who when proposed keywords marker", NULL },
	/* replies.c: the keywords that change a referral's status. */
	{ "mail/progress-lines", LINES, MAILTEXTS, 1, "client amount date text "
	    "commission_amount commission_rate previous", "CONTACTED "
	    "CONTACTED.word MEETING MEETING.word PROPOSAL PROPOSAL.word WON "
	    "WON.word LOST LOST.word DECLINED DECLINED.word REOPEN REOPEN.word "
	    "REOPEN.reversal AMEND AMEND.word AMEND.commission" },
	{ "mail/newsletter-lines", LINES, MAILTEXTS, 1, "ref client status "
	    "date", NULL },
	/* notify.c and intake: what refbot composes inside staff mail. */
	{ "mail/staff-lines", LINES, MAILTEXTS, 2, "reason size limit outbox "
	    "kind action status name ref rcpt days keyword text known near who "
	    "count currency decimals previous amount was draft lang",
	    "rows.more problem.not-now problem.not-possible refused.not-staff "
	    "refused.not-now refused.credit refused.revenue assign.nobody "
	    "assign.several assign.owner-already keyword.problem keyword.empty keyword.unknown keyword.unknown-near "
	    "keyword.needs-amount keyword.amount-negative "
	    "keyword.amount-currency keyword.amount-whole keyword.amount-decimals "
	    "keyword.amount-zero keyword.amount-ambiguous "
	    "keyword.amount-too-large keyword.not-amount "
	    "keyword.bad-date keyword.bad-time keyword.needs-ref "
	    "keyword.needs-who keyword.needs-reason given.no-partner "
	    "given.no-client given.bad-contact given.not-partner context.new "
	    "context.reply context.unsigned context.welcome context.form "
	    "context.statement context.notice context.join "
	    "context.newsletter newsletter.state-confirmed "
	    "newsletter.state-draft newsletter.confirmed newsletter.draft "
	    "newsletter.no-preview newsletter.draft-empty newsletter.empty "
	    "newsletter.ok-no-draft digest.age "
	    "digest.noreply contact-bounce.title "
	    "contact-bounce.reason undelivered.contact corrected.duplicate none unverified.sender unverified.token "
	    "unverified.auth attach.title attach.not-kept attach.attached "
	    "attach.noname unreadable.title unreadable.reason "
	    "quarantined.title quarantined.reason too-large.title "
	    "too-large.reason bounce.title bounce.reason told.nothing "
	    "told.partner told.withheld undelivered.staff undelivered.partner "
	    "undelivered.other undelivered.noref alerts.staff-unknown "
	    "alerts.staff-unverified alerts.staff-alert alerts.staff-enquiry "
	    "outcome.qualified outcome.incomplete outcome.disqualified kind "
	    "history.owner-manager history.owner-rota history.owner-moved "
	    "history.amended history.credit-moved history.waits-signed "
	    "history.undelivered-staff history.undelivered-partner "
	    "history.stall-owner history.stall-manager history.stall-partner "
	    "history.paid history.paid-note history.adjusted "
	    "history.adjusted-note history.field-corrected "
	    "history.field-corrected-note history.changed history.forwarded "
	    "history.by-hand history.meeting-accepted "
	    "history.meeting-tentative history.meeting-declined "
	    "history.meeting-delegated history.meeting-none "
	    "history.meeting-counter history.meeting-replaced "
	    "history.meeting-cancelled" },
	/* notify.c: the staff cheat sheet, a line per allowed keyword. */
	{ "mail/keyword-lines", LINES, MAILTEXTS, 1, "", "CONTACTED MEETING "
	    "PROPOSAL WON LOST DECLINED NOTE REOPEN REVENUE CREDIT AMEND "
	    "ASSIGN" },
	{ "overview", PLAIN, KIT, 1, KIT_VARS, NULL },
	{ "introduction", PLAIN, KIT, 1, KIT_VARS, NULL },
};

const size_t nknown = nitems(known);
