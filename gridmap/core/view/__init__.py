"""How a plan looks, on screen and on paper alike (no Qt): the view transform
(:mod:`.viewport`), the one style set (:mod:`.style`) and the one label engine
(:mod:`.labels`)."""
