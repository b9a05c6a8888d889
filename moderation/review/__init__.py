"""Review: moderators' queue of held comments, their verdicts and reports, and the labels they give training."""
