"""`/csds QUESTION` (a private answer with a share button), `/csds` or `/csds help`, `/csds add`,
and the share button itself."""

from __future__ import annotations

from slack_bolt import App

from bot.slack.answers import Replies, command_key
from bot.slack.blocks import COMMAND, SHARE, AnswerRef, faq_modal, notice
from bot.slack.listeners.errors import reported
from bot.slack.services import Services
from bot.slack.text import plain_question

NOT_ADMIN = ("Sorry, only FAQ admins can add entries. If an answer is missing or wrong, tell one of them "
             "(or use the 👎 button under an answer): they can add it in a minute.")


def register(app: App, replies: Replies, services: Services) -> None:
    @app.command(COMMAND)
    def on_command(ack, command: dict, body: dict, respond, client, context) -> None:
        question = plain_question(command.get("text", ""))
        user = command["user_id"]
        if question.lower() in ("", "help", "?"):
            ack(response_type="ephemeral", **replies.help().kwargs())
            return
        ack()  # Slack wants this within 3 s; what follows goes through views.open or the response_url
        with reported(body, client, context, services):
            if question.lower() == "add":
                if not services.is_admin(user):
                    respond(response_type="ephemeral", **notice(NOT_ADMIN).kwargs())
                    return
                client.views_open(trigger_id=command["trigger_id"],
                                  view=faq_modal(metadata={"response_url": command.get("response_url")}))
                return
            message = replies.reply(question, command_key(command.get("channel_id"), user), user,
                                          shareable=True, show_question=True)
            respond(response_type="ephemeral", replace_original=False, **message.kwargs())

    @app.action(SHARE)
    def on_share(ack, body: dict, action: dict, respond, client, context) -> None:
        ack()
        with reported(body, client, context, services):
            message = replies.replay(AnswerRef.parse(action.get("value", "")), asked_by=body["user"]["id"])
            # Through the response_url, so sharing works in channels the bot was never invited to.
            respond(response_type="in_channel", replace_original=False, **message.kwargs())
            respond(delete_original=True)
