"""Reading facts out of what people type: regions, muscles, pain, time, severity, red flags.

`knotcare.nlp.quantities` (durations, ratings) is plain regular expressions;
`knotcare.nlp.extractor` loads spaCy. Import the one you need: the action server
only needs quantities, and importing spaCy there would cost ~350 MB.
"""

#: The message metadata key that says a message comes in a conversation about the writer's own pain (set by the
#: server from the conversation, never by a client: patches/conversation_context.py); `extractor.extract` says
#: what it changes.
WRITER_IN_PAIN = "knotcare_writer_in_pain"
#: The message metadata key that says whether a step-by-step session is running (True or False, set by the server
#: like WRITER_IN_PAIN; absent when a message is read without a conversation): its commands mean nothing outside
#: one, and a guess of "stop" there is a guess (components/answer_router.py).
GUIDED_SESSION = "knotcare_guided_session"
#: The message metadata key that lists the conditions the conversation already holds for the person whose pain it
#: is (set by the server like WRITER_IN_PAIN): "she's had some bleeding" means more once she is known to be pregnant
#: (a pattern's `first_given_by`, knotcare.nlp.extractor).
KNOWN_CONDITIONS = "knotcare_known_conditions"
#: The message metadata key that lists the red flags and conditions someone else was told to have in passing, in a
#: conversation about the writer's own pain, as [entity, code] pairs (set by the server like WRITER_IN_PAIN): when a
#: later message turns the conversation to them ("actually it's her I'm worried about"), they are the subject's
#: (`extractor.extract`).
PASSING_SIGNS = "knotcare_passing_signs"
