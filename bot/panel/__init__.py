"""The curator's panel on the web side: the aiohttp routes under /panel/ (the page, its
own script and style, the JSON API), served by the webhook's application or, in
polling mode, on WEBAPP_PORT; and the buttons that open it in Telegram."""
