"""Pictures drawn from one figure (data/pictures/body.yml): the body map and a picture per routine.

`figure` reads the shapes, `svg` draws them for the web page, `png` for Telegram and Slack (matplotlib,
off-screen); `routine` works out what a routine's picture marks and says in words.
"""
