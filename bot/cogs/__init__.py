"""Extensions: one feature each, loaded by the bot in setup_hook."""
