"""The Slack front end: a thin adapter from Slack requests to the conversation layer and back.

config     environment -> SlackConfig, with one-line fixes
text       Slack text -> plain question; our text -> mrkdwn that cannot ping
blocks     Answer -> Block Kit (pure functions, within Slack's limits)
memory     event ids already seen
services   the engine, interaction log, history store and FAQ store the listeners use
answers    Slack's conversations (thread, DM, /csds) -> bot.conversation -> one Message
listeners/ bolt listeners, one module per kind of request, and the error reporting
app        builds the bolt App; server runs it over Socket Mode or HTTP; logs redacts secrets
"""
