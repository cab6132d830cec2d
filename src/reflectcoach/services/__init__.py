"""What both front ends share above the store: sessions, what is due, ratings, views."""
