# tapsets and stp
