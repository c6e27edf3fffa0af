"""Any app from its recipe: the host build recorded, the cross build per board, the test drivers
(differential, expected) and `bkport port new`. Plug-ins (bkport.plugins) cover what a recipe
cannot say."""
